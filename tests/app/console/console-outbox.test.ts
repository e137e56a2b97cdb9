import { createMailroom, type Mailroom } from '@mailroom/app';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { aUserInvite } from '../../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';
import { expectNoSecrets } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { until } from '../../support/until';
import { serveConsole, type ConsoleServer } from './console-support';

const USER = 'mailer@idm.example.com';
const PASSWORD = 'Smtp-Console-Passw0rd-Never-Shown';
/** What the server answers for a `refused…` mailbox while it refuses them: markup a page must show as text. */
const REPLY = '5.1.1 <img src=x onerror=alert(1)> No such mailbox';
const RECIPIENTS = ['refused1@example.com', 'ada@example.com', 'refused2@example.com', 'refused3@example.com'];

/**
 * The outbox page over a production Mailroom: PostgreSQL and a real SMTP server that logs in with a password and
 * refuses `refused…` mailboxes with 550 until the test lets them through — so the dead letters are real ones.
 */
const suite = describeOnSystemPostgres() === describe ? describeInChromium() : describe.skip;
suite('the console in Chromium: the outbox over PostgreSQL and a real SMTP server', () => {
  let browser: Browser;
  let context: BrowserContext;
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  let server: ConsoleServer;
  let refusing = true;
  const pages: string[] = [];
  const schema = uniqueSchema();
  const dead = async () => (await mailroom.outbox.counts()).dead;
  const arrived = (address: string) => smtp.received.filter((m) => m.to.includes(address)).length;

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, callback) =>
        auth.username === USER && auth.password === PASSWORD
          ? callback(null, { user: USER })
          : callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
      onRcptTo(address, _session, callback) {
        if (refusing && address.address.startsWith('refused')) return callback(Object.assign(new Error(REPLY), { responseCode: 550 }));
        return callback();
      },
    });
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 3 },
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowInsecureAuth: true,
          auth: { type: 'direct', username: USER, password: PASSWORD },
        },
        from: { address: USER },
        worker: { pollIntervalMs: 100 },
        log: { level: 'silent' },
      },
    });
    server = await serveConsole(mailroom);
    for (const [i, address] of RECIPIENTS.entries())
      await mailroom.notify({
        kind: 'user-invite',
        recipient: { userId: `u${i}`, address, name: `Name <b>${i}</b>` },
        payload: aUserInvite(),
      });
    mailroom.start();
    await until(async () => (await dead()) === 3 && smtp.received.length === 1, 'three dead letters and one sent mail');
  });

  afterAll(async () => {
    expectNoSecrets(pages, [PASSWORD]);
    await browser?.close();
    await server?.close();
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  const open = async (javaScriptEnabled = true): Promise<Page> => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
    // Every page and answer the console gives, checked for the SMTP password at the end.
    context.on(
      'response',
      (response) =>
        void response.text().then(
          (text) => pages.push(text),
          () => undefined,
        ),
    );
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  };
  afterEach(() => context?.close());

  it('shows counts, the oldest wait and the dead letters with the server’s reply as text, filtered and paged', async () => {
    const page = await open();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/outbox`);
    const counts = await page.locator('.counts').textContent();
    expect(counts).toMatch(/3\s*dead/);
    expect(counts).toMatch(/1\s*sent/);
    expect(await page.textContent('main')).toContain('No mail is waiting to be sent.');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    const first = await rows.first().textContent();
    expect(first).toContain('Name <b>3</b> <refused3@example.com>');
    expect(first).toContain(`SEND.PERMANENT.NO_SUCH_MAILBOX (550)`);
    expect(first).toContain('<img src=x onerror=alert(1)> No such mailbox');
    expect(first).toContain("Check the recipient's address, then retry.");
    // Markup from the server's reply and the recipient's name made no element and ran no script.
    expect(await page.locator('main img, main b').count()).toBe(0);
    await screenshot(page, 'console-outbox');

    await page.getByLabel('Recipient').fill('REFUSED2@example.com');
    await page.getByLabel('Reason').selectOption('permanent');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('refused2@example.com')]);
    await page.getByLabel('Reason').selectOption('transient');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.textContent('main')).toContain('No dead letters match these filters.');

    await page.goto(`${server.console}/outbox?limit=2`);
    expect(await rows.count()).toBe(2);
    await page.getByRole('link', { name: 'Next page' }).click();
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('refused1@example.com')]);
    expect(problems).toEqual([]);
  });

  it('shows one mail with its attempts and last error', async () => {
    const page = await open();
    await page.goto(`${server.console}/outbox`);
    await page.locator('tbody tr').first().getByRole('link').click();
    expect(await page.textContent('h1')).toBe('Mail to refused3@example.com');
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toMatch(/Status\s*dead\s*Delivery/);
    expect(facts).toMatch(/Attempts\s*1\s*Created/);
    expect(await page.locator('#error-title + p').textContent()).toContain(REPLY);
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('retries every dead letter with progress, by script through the JSON API and without script through its own page', async () => {
    const page = await open();
    const problems = pageProblems(page);
    await page.goto(`${server.console}/outbox`);
    const polled = page.waitForResponse((r) => /\/admin\/outbox\/retry-all\/[0-9a-f-]+$/.test(r.url()));
    await page.getByRole('button', { name: 'Retry all 3 dead letters' }).click();
    await polled;
    await page.locator('#retry-progress', { hasText: 'Done: 3 dead letters back in line.' }).waitFor();
    expect(await page.locator('#retry-progress progress').evaluate((p) => (p as unknown as { value: number }).value)).toBe(3);
    await until(async () => (await dead()) === 3, 'the retried mails to be refused again');
    expect(problems).toEqual([]);

    const noScript = await open(false);
    await noScript.goto(`${server.console}/outbox`);
    await noScript.getByRole('button', { name: 'Retry all 3 dead letters' }).click();
    await noScript.waitForURL(/\/outbox\/retry-all\/[0-9a-f-]+$/);
    await noScript.locator('p[role="status"]', { hasText: 'Done: 3 dead letters back in line.' }).waitFor();
    await until(async () => (await dead()) === 3, 'the retried mails to be refused again');
  });

  it('retries one dead letter from the page once the server accepts it, and it arrives', async () => {
    refusing = false;
    const page = await open();
    await page.goto(`${server.console}/outbox?recipient=refused1@example.com`);
    await page.getByRole('button', { name: 'Retry the mail to refused1@example.com' }).click();
    await page.waitForURL(/notice=retried/);
    expect(await page.locator('.notice.ok').textContent()).toContain('Sent back to the outbox');
    await until(() => arrived('refused1@example.com') === 1, 'the retried mail to arrive at the SMTP server');
    expect(await dead()).toBe(2);
  });
});
