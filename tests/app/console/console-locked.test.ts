import { createMailroom, createTestMailroom, type Mailroom } from '@mailroom/app';
import type { Browser, Page } from 'playwright-core';
import { describeInChromium, launchChromium } from '../../support/browser';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';
import { serveConsole, type ConsoleServer } from './console-support';

/** Opens the mail server page signed in. */
async function openMailServer(browser: Browser, server: ConsoleServer): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
  const page = await context.newPage();
  await page.goto(`${server.console}/mail-server`);
  return page;
}

/**
 * The form posted with the locked field enabled again and changed in the page (as a tampering admin could): the
 * rest of the form is saved, the locked setting is not.
 */
async function postHost(page: Page, host: string): Promise<string> {
  await page.evaluate(
    `(() => { const el = document.getElementById('f-smtp-host'); el.disabled = false; el.value = ${JSON.stringify(host)}; })()`,
  );
  await page.fill('#f-from-name', 'Changed by the test');
  await Promise.all([page.waitForURL(/notice=/), page.click('button[value="save"]')]);
  return new URL(page.url()).search;
}

describeInChromium()('locked settings on the mail server page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('shows a setting the host locked read-only, and a post cannot change it', async () => {
    const mailroom = await createTestMailroom({
      config: { smtp: { host: 'relay.internal', port: 25, tls: 'none' } },
      lockedSettings: ['smtp.host'],
    });
    const server = await serveConsole(mailroom);
    try {
      const page = await openMailServer(browser, server);
      expect(await page.isDisabled('#f-smtp-host')).toBe(true);
      expect(await page.inputValue('#f-smtp-host')).toBe('relay.internal');
      expect(await page.textContent('#f-smtp-host-source')).toBe('Locked: set by the application Mailroom runs in; change it there.');
      expect(await page.isDisabled('#f-smtp-port')).toBe(false);
      expect(await postHost(page, 'evil.example.com')).toBe('?notice=saved');
      expect(mailroom.config.smtp?.host).toBe('relay.internal');
      expect(mailroom.config.from.name).toBe('Changed by the test'); // the rest of the form was saved
    } finally {
      await server.close();
      await mailroom.stop();
    }
  });

  describeOnSystemPostgres()('on the system PostgreSQL', () => {
    const schema = uniqueSchema();
    let mailroom: Mailroom;
    let server: ConsoleServer;
    beforeAll(async () => {
      mailroom = await createMailroom({
        env: { MAILROOM_SMTP_HOST: 'smtp.env.example' },
        config: {
          database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 2 },
          smtp: { host: 'from-config.example', tls: 'none' },
          log: { level: 'silent' },
        },
      });
      server = await serveConsole(mailroom);
    });
    afterAll(async () => {
      await server?.close();
      await mailroom?.stop();
      await dropSchema(SYSTEM_POSTGRES_URL, schema);
    });

    it("shows a setting its environment variable sets read-only with the variable's name, and a post cannot change it", async () => {
      const page = await openMailServer(browser, server);
      expect(await page.isDisabled('#f-smtp-host')).toBe(true);
      expect(await page.inputValue('#f-smtp-host')).toBe('smtp.env.example');
      expect(await page.textContent('#f-smtp-host-source')).toBe(
        'Locked: set by the environment variable MAILROOM_SMTP_HOST; change or remove it where Mailroom runs.',
      );
      expect(await postHost(page, 'evil.example.com')).toBe('?notice=saved');
      expect(mailroom.config.smtp?.host).toBe('smtp.env.example');
      expect(mailroom.config.from.name).toBe('Changed by the test');
      expect(await page.isDisabled('#f-smtp-host')).toBe(true);
      expect(mailroom.settings.view().settings.find((s) => s.path === 'smtp.host')).toMatchObject({ source: 'environment', locked: true });
    });
  });
});
