import { ConfigError, createTestMailroom, type TestMailroom } from '@mailroom/app';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { serveConsole, type ConsoleServer } from './console-support';

/** The API's own message for a value (what `PATCH /settings` answers). */
async function apiProblem(mailroom: TestMailroom, path: string, value: unknown): Promise<string> {
  const error = await mailroom.settings.update({ set: { [path]: value } }, 'test').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues.find((i) => i.setting === path)!.problem;
}

describeInChromium()('the notifications page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let mailroom: TestMailroom;
  let server: ConsoleServer;

  beforeAll(async () => {
    browser = await launchChromium();
    mailroom = await createTestMailroom({
      config: { smtp: { host: 'relay.internal', port: 25, tls: 'none' }, retry: { maxAttempts: 5 } },
      lockedSettings: ['retry.maxAttempts'],
    });
    server = await serveConsole(mailroom);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailroom?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
  });
  afterEach(() => context.close());

  async function open(): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/notifications`);
    return { page, problems };
  }

  it('shows each setting with its source, saves with the keyboard alone, and resets one to its default', async () => {
    const { page, problems } = await open();
    expect(await page.inputValue('#f-digest-maxItems')).toBe('20');
    expect(await page.textContent('#f-digest-maxItems-source')).toBe('Default.');
    expect(await page.isDisabled('#f-retry-maxAttempts')).toBe(true);
    expect(await page.textContent('#f-retry-maxAttempts-source')).toMatch(/^Locked: set by the application/);
    // Every field has a label.
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')].filter((el) => el.labels.length === 0).map((el) => el.id)`,
    );
    expect(unlabelled).toEqual([]);

    // Keyboard: focus the field, type, Enter saves (the reset buttons belong to another form).
    await page.focus('#f-digest-maxItems');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('50');
    await page.focus('#f-subjectPrefix');
    await page.keyboard.type('[Portal]');
    await Promise.all([page.waitForURL(/notice=saved/), page.keyboard.press('Enter')]);
    expect(mailroom.config.digest.maxItems).toBe(50);
    expect(mailroom.config.subjectPrefix).toBe('[Portal]');
    expect(await page.textContent('#f-digest-maxItems-source')).toMatch(/^Saved here — changed on .* by grace\.$/);
    await screenshot(page, 'console-notifications');

    await Promise.all([page.waitForURL(/notice=reset/), page.click('button[name="reset"][value="digest.maxItems"]')]);
    expect(await page.textContent('.notice')).toMatch(/^Reset/);
    expect(mailroom.config.digest.maxItems).toBe(20);
    expect(await page.inputValue('#f-digest-maxItems')).toBe('20');
    expect(await page.locator('button[name="reset"][value="digest.maxItems"]').count()).toBe(0);
    expect(mailroom.config.subjectPrefix).toBe('[Portal]');
    expect(problems).toEqual([]);
  });

  it("shows the API's validation messages next to their fields and keeps what was typed", async () => {
    const tooMany = await apiProblem(mailroom, 'digest.maxItems', 0);
    const notUrl = await apiProblem(mailroom, 'links.baseUrl', 'idm.example.com/app');
    const version = mailroom.settings.view().version;
    const { page } = await open();
    await page.fill('#f-digest-maxItems', '0');
    await page.fill('#f-links-baseUrl', 'idm.example.com/app');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button[value="save"]'),
    ]);
    expect(response.status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.textContent('#f-digest-maxItems-error')).toBe(tooMany);
    expect(await page.textContent('#f-links-baseUrl-error')).toBe(notUrl);
    for (const id of ['f-digest-maxItems', 'f-links-baseUrl']) {
      expect(await page.getAttribute(`#${id}`, 'aria-invalid')).toBe('true');
      expect(await page.getAttribute(`#${id}`, 'aria-describedby')).toContain(`${id}-error`);
    }
    expect(await page.inputValue('#f-links-baseUrl')).toBe('idm.example.com/app');
    expect(mailroom.settings.view().version).toBe(version);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const { page } = await open();
    const response = await page.request.post(`${server.console}/notifications`, { form: { 'digest.maxItems': '7' } });
    expect(response.status()).toBe(403);
    expect(mailroom.config.digest.maxItems).toBe(20);
  });
});
