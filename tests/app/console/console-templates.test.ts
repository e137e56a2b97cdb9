import { createTestMailroom, type TestMailroom } from '@mailroom/app';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { aUserInvite } from '../../support/payloads';
import { serveConsole, type ConsoleServer } from './console-support';

const SUBJECT = 'user-invite.subject';
const HTML = 'user-invite.html';
type ComputedStyles = { getComputedStyle(element: unknown): { color: string } };
const field = (page: Page, name: string) => page.locator(`textarea[name="${name}"]`);

describeInChromium()('the console in Chromium: templates with their editor, live preview and reset', () => {
  let browser: Browser;
  let context: BrowserContext;
  let mailroom: TestMailroom;
  let server: ConsoleServer;

  beforeAll(async () => {
    browser = await launchChromium({ framesInScreenshots: true });
    mailroom = await createTestMailroom();
    server = await serveConsole(mailroom);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailroom?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
  });
  afterEach(async () => {
    await context.close();
    await mailroom.templates.reset([SUBJECT], 'test');
  });

  it('lists every kind and the digest, each linking to its editor', async () => {
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/templates`);
    const kinds = await page.locator('tbody th a').allTextContents();
    expect(kinds).toEqual(expect.arrayContaining(['user-invite', 'import-failed', 'digest (the digest mail)']));
    expect(kinds[kinds.length - 1]).toBe('digest (the digest mail)');
    await page.getByRole('link', { name: 'user-invite', exact: true }).click();
    expect(page.url()).toBe(`${server.console}/templates/user-invite`);
    await page.goto(`${server.console}/templates`);
    await screenshot(page, 'console-templates');
    expect(problems).toEqual([]);
  });

  it('refuses an override that does not compile, naming its line by the part (422); a good one changes the next mail', async () => {
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/templates/user-invite`);
    // Every part labelled, the built-in text shown.
    for (const label of ['Subject', 'HTML body', 'Text body']) await expect(page.getByLabel(label).count()).resolves.toBe(1);
    expect(await field(page, SUBJECT).inputValue()).toContain('invited you to');

    await field(page, HTML).fill('<p>Hello</p>\n<p>Line two</p>\n<% if (it.payload.accountName) { %>\n<p>never closed</p>\n');
    const [refusal] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/templates/user-invite')),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(refusal.status()).toBe(422);
    const message = page.locator('#part-user-invite-html-error');
    expect(await message.textContent()).toMatch(/Template user-invite\.html .*line \d+/);
    expect(await field(page, HTML).getAttribute('aria-invalid')).toBe('true');
    // The admin's text is kept for fixing, and nothing was saved.
    expect(await field(page, HTML).inputValue()).toContain('never closed');
    expect(mailroom.templates.get(HTML).layer).toBe('built-in');

    await field(page, SUBJECT).fill('Join <%= it.payload.accountName %> — invited by <%= it.payload.inviterName %>');
    await field(page, HTML).fill('<p>Welcome to <strong><%= it.payload.accountName %></strong>.</p>');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=template-saved/);
    expect(await page.locator('.notice.ok').textContent()).toContain('Template saved');
    expect(await page.locator('#part-user-invite-subject-source').textContent()).toContain('Saved by grace');

    await mailroom.notify({ kind: 'user-invite', recipient: { userId: 'u1', address: 'ada@example.com' }, payload: aUserInvite() });
    await mailroom.deliver();
    const mail = mailroom.sentTo('ada@example.com').at(-1)!;
    expect(mail.subject).toBe('Join Acme Corp — invited by Grace Hopper');
    expect(mail.html).toContain('<p>Welcome to <strong>Acme Corp</strong>.</p>');
    // Chromium reports the refusal's status (the 422 page) in the console; nothing else may appear there.
    expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
  });

  it('previews the form as one types: the HTML in a sandboxed iframe, subject and text beside it', async () => {
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/templates/user-invite`);
    const htmlFrame = page.frameLocator('iframe[name="preview-html"]');
    const textFrame = page.frameLocator('iframe[name="preview-text"]');
    await expect(htmlFrame.locator('body').textContent()).resolves.toContain('You are invited to the account “Acme”');
    expect(await textFrame.locator('body').textContent()).toContain('Subject: Grace Hopper invited you to the account “Acme”');

    await field(page, SUBJECT).fill('Preview: <%= it.payload.accountName %> awaits');
    await field(page, HTML).fill(
      '<h2 style="color:#047857">Hi from <%= it.payload.inviterName %></h2><script>parent.document.title="owned"</script>',
    );
    await htmlFrame.locator('h2', { hasText: 'Hi from Grace Hopper' }).waitFor();
    await textFrame.locator('body', { hasText: 'Subject: Preview: Acme awaits' }).waitFor();
    // The mail's inline style applies; its script does not run (sandbox, no script in the preview's policy).
    expect(await htmlFrame.locator('h2').evaluate((h) => (globalThis as unknown as ComputedStyles).getComputedStyle(h).color)).toBe(
      'rgb(4, 120, 87)',
    );
    expect(await page.title()).not.toBe('owned');
    expect(await page.locator('iframe[name="preview-html"]').getAttribute('sandbox')).toBe('');
    // Nothing was saved by previewing.
    expect(mailroom.templates.get(SUBJECT).layer).toBe('built-in');
    await screenshot(page, 'console-template-editor');
    expect(problems.filter((p) => !p.includes('Blocked script execution'))).toEqual([]);

    const preview = await context.request.get(`${server.console}/templates/user-invite/preview/html`);
    expect(preview.headers()['content-security-policy']).toMatch(
      /^sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https:/,
    );
  });

  it('previews with the buttons when scripts are off, and shows a template error in the preview', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    await noScript.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
    const page = await noScript.newPage();
    await page.goto(`${server.console}/templates/user-invite`);
    await field(page, SUBJECT).fill('Without script: <%= it.payload.accountName %>');
    await page.getByRole('button', { name: 'Preview subject and text' }).click();
    await page.frameLocator('iframe[name="preview-text"]').locator('body', { hasText: 'Subject: Without script: Acme' }).waitFor();
    await field(page, HTML).fill('<p><%= it.payload.nope.deeper %></p>');
    await page.getByRole('button', { name: 'Preview HTML' }).click();
    await page
      .frameLocator('iframe[name="preview-html"]')
      .locator('body', { hasText: /No preview\..*user-invite\.html.*line 1/ })
      .waitFor();
    await noScript.close();
  });

  it('resets a kind to the built-in text', async () => {
    await mailroom.templates.save({ [SUBJECT]: 'Overridden <%= it.payload.accountName %>' }, 'ada');
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${server.console}/templates/user-invite`);
    expect(await field(page, SUBJECT).inputValue()).toBe('Overridden <%= it.payload.accountName %>');
    await page.getByRole('button', { name: 'Reset to built-in' }).click();
    await page.waitForURL(/notice=template-reset/);
    expect(await field(page, SUBJECT).inputValue()).toContain('invited you to');
    expect(mailroom.templates.get(SUBJECT).layer).toBe('built-in');
    expect(await page.getByRole('button', { name: 'Reset to built-in' }).count()).toBe(0);
  });
});
