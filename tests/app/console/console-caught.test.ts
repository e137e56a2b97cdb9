import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailroom, createTestMailroom, type Mailroom } from '@mailroom/app';
import type { Browser } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { aUserInvite } from '../../support/payloads';
import { aFreePort } from '../../support/ports';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';
import { until } from '../../support/until';
import { serveConsole, type ConsoleServer } from './console-support';

const suite = describeOnSystemPostgres() === describe ? describeInChromium() : describe.skip;

/** Caught mail: a development Mailroom (no SMTP server) whose catcher keeps mail in a temporary folder. */
suite('the console in Chromium: caught mail of the development catcher', () => {
  let browser: Browser;
  let mailroom: Mailroom;
  let server: ConsoleServer;
  const schema = uniqueSchema();
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-caught-'));

  beforeAll(async () => {
    browser = await launchChromium({ framesInScreenshots: true });
    mailroom = await createMailroom({
      development: true,
      env: {},
      cwd: dir,
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 2 },
        catcher: { dir: join(dir, 'inbox'), port: await aFreePort() },
        worker: { pollIntervalMs: 100 },
        log: { level: 'silent' },
      },
    });
    server = await serveConsole(mailroom);
    await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: aUserInvite({ accountName: 'Acme <i>Labs</i>' }),
    });
    mailroom.start();
    await until(async () => ((await mailroom.caughtMail?.list()) ?? []).length === 1, 'the catcher to keep the mail');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailroom?.stop();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the caught mail and shows its HTML in a sandboxed iframe and its text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/caught`);
    expect(await page.locator('nav a', { hasText: 'Caught mail' }).getAttribute('aria-current')).toBe('page');
    const row = page.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('ada@example.com');
    expect(await row.textContent()).toContain('invited you to the account “Acme <i>Labs</i>”');
    expect(await page.locator('main i').count()).toBe(0);
    await row.getByRole('link').click();
    const frame = page.frameLocator('iframe[title="The mail\'s HTML"]');
    await frame.locator('h1', { hasText: 'You are invited to the account “Acme <i>Labs</i>”' }).waitFor();
    expect(await page.locator('iframe').getAttribute('sandbox')).toBe('');
    expect(await page.locator('pre').textContent()).toContain('invited you to the account “Acme <i>Labs</i>”');
    await screenshot(page, 'console-caught');
    expect(problems).toEqual([]);

    const htmlPart = await context.request.get(`${page.url()}/html`);
    expect(htmlPart.headers()['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    // Only the catcher's own file names are read: nothing outside its folder.
    expect((await context.request.get(`${server.console}/caught/..%2F..%2Fetc%2Fpasswd`)).status()).toBe(404);
    await context.close();
  });

  it('has no Caught mail page or navigation entry without a catcher', async () => {
    const plain = await createTestMailroom();
    const other = await serveConsole(plain);
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'session', value: 'grace', url: other.origin }]);
      const page = await context.newPage();
      const response = await page.goto(`${other.console}/caught`);
      expect(response!.status()).toBe(404);
      expect(await page.textContent('main')).toContain('No development mail catcher is in use');
      expect(await page.locator('nav a', { hasText: 'Caught mail' }).count()).toBe(0);
      await context.close();
    } finally {
      await other.close();
      await plain.stop();
    }
  });
});
