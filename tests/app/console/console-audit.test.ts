import { createTestMailroom, type TestMailroom } from '@mailroom/app';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { serveConsole, type ConsoleServer } from './console-support';

describeInChromium()('the console in Chromium: frame, sign-in, CSRF and the audit page', () => {
  let browser: Browser;
  let context: BrowserContext;
  let mailroom: TestMailroom;
  let server: ConsoleServer;

  beforeAll(async () => {
    browser = await launchChromium();
    mailroom = await createTestMailroom();
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

  it('asks the host who is signed in: no session, no page', async () => {
    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(`${server.console}/audit`);
    expect(response!.status()).toBe(401);
    expect(await page.textContent('h1')).toBe('Sign in first');
  });

  it('shows who changed what, markup in values shown as text, under a strict Content-Security-Policy', async () => {
    await mailroom.settings.update({ set: { subjectPrefix: '<img src=x onerror=alert(1)>' } }, 'ada <script>');
    const page = await context.newPage();
    const problems = pageProblems(page);
    const response = await page.goto(`${server.console}/audit`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Audit');
    const row = page.locator('tbody tr').first();
    expect(await row.textContent()).toContain('ada <script>');
    expect(await row.textContent()).toContain('subjectPrefix: – → <img src=x onerror=alert(1)>');
    expect(await page.locator('main img').count()).toBe(0);
    await screenshot(page, 'console-audit');
    expect(problems).toEqual([]);
  });

  it('opens on the mail server page from the console root', async () => {
    const page = await context.newPage();
    await page.goto(server.console);
    expect(page.url()).toBe(`${server.console}/mail-server`);
  });
});
