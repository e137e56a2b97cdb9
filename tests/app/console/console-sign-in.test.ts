import { createTestMailroom, serveAdmin, type AdminServer, type TestMailroom } from '@mailroom/app';
import type { Browser } from 'playwright-core';
import { describeInChromium, launchChromium } from '../../support/browser';

const TOKEN = 'console-Admin-Token-0123456789abcdef';

/** `mailroom start` with admin.token: a browser signs in to the console once with the token; the cookie holds no token. */
describeInChromium()('the console behind mailroom start’s admin token', () => {
  let browser: Browser;
  let mailroom: TestMailroom;
  let served: AdminServer;

  beforeAll(async () => {
    browser = await launchChromium();
    mailroom = await createTestMailroom();
    const handler = mailroom.adminHandler({ authorize: async () => ({ id: 'admin (token)' }) });
    served = await serveAdmin(handler, { listen: '127.0.0.1:0', token: TOKEN, logger: { info: () => undefined } });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await mailroom?.stop();
  });

  it('asks for the token, refuses a wrong one, and then shows the console', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${served.url}/console/audit`);
    expect(page.url()).toBe(`${served.url}/console/sign-in`);
    await page.getByLabel(/Admin token/).fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('not the admin token');

    await page.getByLabel(/Admin token/).fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${served.url}/console/mail-server`); // signed in: the console's first page
    await page.goto(`${served.url}/console/audit`);
    expect(await page.textContent('h1')).toBe('Audit');
    const cookies = await context.cookies();
    expect(JSON.stringify(cookies)).not.toContain(TOKEN);
    expect(cookies.find((c) => c.name === 'mailroom_admin_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await context.close();
  });

  it('still answers the JSON API only with the bearer token or the console session', async () => {
    expect((await fetch(`${served.url}/settings`)).status).toBe(401);
    expect((await fetch(`${served.url}/settings`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });
});
