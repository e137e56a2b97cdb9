import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs when it is missing. */
export const CHROMIUM = process.env.MAILROOM_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Where the console tests write their screenshots; the README shows them. */
export const SCREENSHOTS = join(__dirname, '../../docs/images');

/**
 * `describe` when Chromium is installed. Without it the browser tests are skipped with a note, except in CI (`CI` set,
 * as `.ci/run` does), where a missing browser is a failure: CI installs it.
 */
export function describeInChromium(): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env.CI) throw new Error(`Chromium is not at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`);
  console.warn(`Chromium is not at ${CHROMIUM}: the console's browser tests are skipped (apt-get install -y chromium).`);
  return describe.skip;
}

/**
 * Headless Chromium as the machine allows it: as root without the sandbox, and without the background connections a
 * closed network refuses. `framesInScreenshots`: headless Chromium paints an out-of-process iframe (a sandboxed mail
 * preview has an opaque origin, so a process of its own) blank in screenshots; without site isolation it stays in
 * the picture. The iframe's sandbox and its Content-Security-Policy are enforced by the renderer all the same.
 */
export function launchChromium(options: { framesInScreenshots?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...(options.framesInScreenshots ? ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'] : []),
    ],
  });
}

/** A screenshot of the whole page into docs/images/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every problem the page reported: script errors and console errors (a CSP violation shows as one). */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return problems;
}
