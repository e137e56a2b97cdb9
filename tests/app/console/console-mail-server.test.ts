import { randomBytes } from 'node:crypto';
import { ConfigError, createTestMailroom, type TestMailroom } from '@mailroom/app';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, launchChromium, pageProblems, screenshot } from '../../support/browser';
import { expectNoSecrets } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';
import { until } from '../../support/until';
import { ADMIN, serveConsole, type ConsoleServer } from './console-support';

const PASSWORD = 'Direct-Passw0rd-never-shown';
const CLIENT_SECRET = 'client-secret-Value~never-shown';
const MAILBOX = 'notifications@mailroom.test';
const STEPS = ['configuration', 'resolve', 'connect', 'tls', 'ehlo', 'token', 'auth', 'mail-from'];

describeInChromium()('the mail server page in Chromium: Direct, OAuth2, Check step by step, test mail', () => {
  let browser: Browser;
  let context: BrowserContext;
  let mailroom: TestMailroom;
  let server: ConsoleServer;
  let direct: SmtpTestServer; // PLAIN over plain text, one user
  let xoauth2: SmtpTestServer; // XOAUTH2 with the tokens the endpoint issued
  let endpoint: TokenEndpoint;
  /** Every page and response body the browser saw: none may hold a secret. */
  const seen: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    endpoint = await startTokenEndpoint();
    direct = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN'],
      onAuth: (auth, _s, cb) =>
        auth.username === 'mailer' && auth.password === PASSWORD
          ? cb(null, { user: 'mailer' })
          : cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
    });
    xoauth2 = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      onAuth: (auth, _s, cb) =>
        auth.username === MAILBOX && endpoint.issued.includes(auth.accessToken ?? '')
          ? cb(null, { user: MAILBOX })
          : cb(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 })),
    });
    mailroom = await createTestMailroom({ secretKey: randomBytes(32).toString('hex') });
    server = await serveConsole(mailroom);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailroom?.stop();
    await Promise.all([direct?.close(), xoauth2?.close(), endpoint?.close()]);
    expect(seen.length).toBeGreaterThan(5);
    expectNoSecrets(seen, [PASSWORD, CLIENT_SECRET, ...endpoint.issued]);
  });

  beforeEach(async () => {
    context = await browser.newContext();
    await context.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
  });
  afterEach(() => context.close());

  /** A signed-in page that keeps every HTML page and check answer it receives. */
  async function open(path = '/mail-server'): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems = pageProblems(page);
    page.on('response', (response) => {
      if (!response.url().includes('/assets/'))
        void response.text().then(
          (text) => seen.push(text),
          () => undefined, // a redirect has no body
        );
    });
    await page.goto(`${server.console}${path}`);
    return { page, problems };
  }

  it('configures Direct against a real SMTP server, sends a test mail that arrives, saves, and never shows the password', async () => {
    const { page, problems } = await open();
    expect(await page.inputValue('#f-test-to')).toBe(ADMIN.email);
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('main input:not([type=hidden]), main select')].filter((el) => el.labels.length === 0).map((el) => el.id)`,
    );
    expect(unlabelled).toEqual([]);
    // Only the chosen type's fields show.
    expect(await page.isVisible('#f-smtp-auth-password')).toBe(false);
    await page.fill('#f-smtp-host', '127.0.0.1');
    await page.fill('#f-smtp-port', String(direct.port));
    await page.selectOption('#f-smtp-tls', 'none');
    await page.check('#f-smtp-allowInsecureAuth');
    await page.fill('#f-from-address', 'noreply@idm.example.com');
    await page.selectOption('#f-smtp-auth-type', 'direct');
    expect(await page.isVisible('#f-smtp-auth-password')).toBe(true);
    expect(await page.isVisible('#f-smtp-auth-clientSecret')).toBe(false);
    await page.fill('#f-direct-username', 'mailer');
    await page.fill('#f-smtp-auth-password', PASSWORD);
    await page.click('button[value="send-test"]');
    await page.waitForSelector('#test-result');
    expect(await page.textContent('#test-result')).toMatch(/Test mail sent to grace@example\.com\. The server answered: 250/);
    await until(() => direct.received.length === 1, 'the test mail');
    expect(direct.received[0]!.to).toEqual([ADMIN.email]);
    // The typed password is not sent back, so the admin types it again to save.
    expect(await page.inputValue('#f-smtp-auth-password')).toBe('');
    expect(await page.inputValue('#f-smtp-host')).toBe('127.0.0.1');

    await page.fill('#f-smtp-auth-password', PASSWORD);
    await Promise.all([page.waitForURL(/notice=saved/), page.click('button[value="save"]')]);
    expect(await page.textContent('.notice')).toMatch(/Saved/);
    expect(mailroom.config.smtp).toMatchObject({
      host: '127.0.0.1',
      port: direct.port,
      tls: 'none',
      auth: { type: 'direct', username: 'mailer' },
    });
    expect(await page.textContent('#f-smtp-auth-password-source')).toMatch(/^Set — changed on \d{4}-\d\d-\d\d \d\d:\d\d UTC by grace\./);
    expect(await page.inputValue('#f-smtp-auth-password')).toBe('');
    expect(await page.content()).not.toContain(PASSWORD);

    // Saving again with the password left empty keeps it.
    await page.fill('#f-from-name', 'Identity Portal');
    await Promise.all([page.waitForURL(/notice=saved/), page.click('button[value="save"]')]);
    const password = mailroom.settings.view().settings.find((s) => s.path === 'smtp.auth.password')!;
    expect(password).toMatchObject({ set: true, source: 'stored' });
    expect(mailroom.config.from.name).toBe('Identity Portal');
    await screenshot(page, 'console-mail-server');
    expect(problems).toEqual([]);
  });

  it('switches to OAuth2 and shows Check passing step by step, each step as it completes', async () => {
    const { page, problems } = await open();
    await page.fill('#f-smtp-port', String(xoauth2.port));
    await page.selectOption('#f-smtp-auth-type', 'oauth2');
    expect(await page.isVisible('#f-smtp-auth-password')).toBe(false);
    await page.fill('#f-smtp-auth-tokenUrl', `${endpoint.origin}/oauth/token`);
    await page.fill('#f-smtp-auth-clientId', 'mailroom-app');
    await page.fill('#f-smtp-auth-clientSecret', CLIENT_SECRET);
    await page.fill('#f-oauth2-username', MAILBOX);
    await page.fill('#f-from-address', MAILBOX);
    // Every step is added to the page as it arrives; the token endpoint holds its answer until the test looks.
    await page.evaluate(`window.added = [];
      new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
        if (n.dataset && n.dataset.step) window.added.push(n.dataset.step);
      }))).observe(document.getElementById('check-results'), { childList: true, subtree: true });`);
    endpoint.hold();
    await page.click('#check-button');
    await page.waitForSelector('#check-steps li[data-step="ehlo"]');
    expect(await page.locator('#check-steps li[data-step="token"]').count()).toBe(0);
    expect(await page.textContent('#check-summary')).toBe('Checking…');
    endpoint.release();
    await page.waitForSelector('#check-summary.ok');
    expect(await page.evaluate('window.added')).toEqual(STEPS);
    expect(await page.locator('#check-steps li').evaluateAll((lis) => lis.map((li) => `${li.dataset.step}:${li.className}`))).toEqual([
      'configuration:ok',
      'resolve:ok',
      'connect:ok',
      'tls:skip',
      'ehlo:ok',
      'token:ok',
      'auth:ok',
      'mail-from:ok',
    ]);
    expect(await page.textContent('#check-steps li[data-step="auth"]')).toContain(`logged in as ${MAILBOX} with XOAUTH2`);
    expect(xoauth2.received).toEqual([]);
    // Checked, not saved.
    expect(mailroom.config.smtp?.auth.type).toBe('direct');
    expect(endpoint.requests.at(-1)!.form.get('grant_type')).toBe('client_credentials');
    await screenshot(page, 'console-mail-server-check');
    expect(problems).toEqual([]);
  });

  it('shows a wrong client secret at the token step with its fix, and marks the checklist item', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value.',
      },
    }));
    const { page, problems } = await open('/mail-server?preset=exchange');
    // The no-script preset prefilled Exchange Online; here the servers are local.
    expect(await page.inputValue('#f-smtp-auth-scope')).toBe('https://outlook.office365.com/.default');
    await page.fill('#f-smtp-host', '127.0.0.1');
    await page.fill('#f-smtp-port', String(xoauth2.port));
    await page.selectOption('#f-smtp-tls', 'none');
    await page.fill('#f-smtp-auth-tokenUrl', `${endpoint.origin}/oauth/token`);
    await page.fill('#f-smtp-auth-clientId', 'mailroom-app');
    await page.fill('#f-smtp-auth-clientSecret', 'the-secret-id-not-its-value');
    await page.fill('#f-oauth2-username', MAILBOX);
    await page.click('#check-button');
    await page.waitForSelector('#check-summary.bad');
    const failed = page.locator('#check-steps li.bad');
    expect(await failed.getAttribute('data-step')).toBe('token');
    expect(await failed.locator('.cause').textContent()).toMatch(/AADSTS7000215: invalid client secret/);
    expect(await failed.locator('.fix').textContent()).toMatch(/Value from the app registration .*not its Secret ID/);
    expect(await page.locator('#check-steps li[data-step="auth"]').getAttribute('class')).toBe('skip');
    expect(await page.getAttribute('li[data-item="client-secret"]', 'class')).toBe('failed');
    expect(await page.getAttribute('li[data-item="app-registration"]', 'class')).toBe('done');
    expect(problems).toEqual([]);
    endpoint.answerWith((_r, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `token-${n}` } }));
  });

  it('fills the Exchange Online preset in place, the tenant into the token URL, with the Microsoft checklist', async () => {
    const { page, problems } = await open();
    expect(await page.isVisible('#exchange-checklist')).toBe(false);
    await page.click('#exchange-preset');
    expect(page.url()).toBe(`${server.console}/mail-server`); // no navigation: the script filled the form
    expect(await page.inputValue('#f-smtp-host')).toBe('smtp.office365.com');
    expect(await page.inputValue('#f-smtp-port')).toBe('587');
    expect(await page.inputValue('#f-smtp-tls')).toBe('starttls');
    expect(await page.inputValue('#f-smtp-auth-type')).toBe('oauth2');
    expect(await page.inputValue('#f-smtp-rateLimitPerMinute')).toBe('30');
    expect(await page.inputValue('#f-smtp-poolSize')).toBe('3');
    await page.fill('#f-tenant', 'contoso.onmicrosoft.com');
    expect(await page.inputValue('#f-smtp-auth-tokenUrl')).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    const checklist = await page.textContent('#exchange-checklist');
    for (const item of [
      'SMTP.SendAsApp',
      'admin consent',
      'New-ServicePrincipal',
      'Add-MailboxPermission',
      'FullAccess',
      'licensed',
      'From address equal',
    ])
      expect(checklist).toContain(item);
    expect(problems).toEqual([]);
  });

  it('without scripts: the preset is a prefilled form, and Check renders the whole report', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    await noScript.addCookies([{ name: 'session', value: 'grace', url: server.origin }]);
    const page = await noScript.newPage();
    await page.goto(`${server.console}/mail-server?preset=exchange`);
    expect(await page.inputValue('#f-smtp-host')).toBe('smtp.office365.com');
    expect(await page.inputValue('#f-smtp-auth-tokenUrl')).toBe('https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token');
    await page.fill('#f-smtp-host', '127.0.0.1');
    await page.fill('#f-smtp-port', String(xoauth2.port));
    await page.selectOption('#f-smtp-tls', 'none');
    await page.fill('#f-smtp-auth-tokenUrl', `${endpoint.origin}/<tenant>/token`);
    await page.fill('#f-tenant', 'contoso');
    await page.fill('#f-smtp-auth-clientId', 'mailroom-app');
    await page.fill('#f-smtp-auth-clientSecret', CLIENT_SECRET);
    await page.fill('#f-oauth2-username', MAILBOX);
    await page.fill('#f-from-address', MAILBOX);
    await Promise.all([page.waitForLoadState(), page.click('#check-button')]);
    seen.push(await page.content());
    expect(await page.locator('#check-steps li').evaluateAll((lis) => lis.map((li) => li.dataset.step))).toEqual(STEPS);
    expect(await page.getAttribute('#check-summary', 'class')).toContain('ok');
    expect(endpoint.requests.at(-1)!.path).toBe('/contoso/token');
    expect(await page.getAttribute('li[data-item="client-secret"]', 'class')).toBe('done');
    expect(await page.getAttribute('li[data-item="from-is-mailbox"]', 'class')).toBe('done');
    await noScript.close();
  });

  it("shows the API's validation message next to its field, keeps what was typed, and saves nothing", async () => {
    const api = await mailroom.settings.update({ set: { 'smtp.port': 70000 } }, 'test').catch((e: unknown) => e);
    expect(api).toBeInstanceOf(ConfigError);
    const problem = (api as ConfigError).issues.find((i) => i.setting === 'smtp.port')!.problem;
    const before = mailroom.settings.view().version;
    const { page } = await open();
    await page.fill('#f-smtp-port', '70000');
    await page.fill('#f-from-name', 'Typed <b>name</b>');
    await page.fill('#f-smtp-auth-password', PASSWORD);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button[value="save"]'),
    ]);
    expect(response.status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.textContent('#f-smtp-port-error')).toBe(problem);
    expect(await page.getAttribute('#f-smtp-port', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-smtp-port', 'aria-describedby')).toContain('f-smtp-port-error');
    expect(await page.inputValue('#f-smtp-port')).toBe('70000');
    expect(await page.inputValue('#f-from-name')).toBe('Typed <b>name</b>');
    expect(await page.inputValue('#f-smtp-auth-password')).toBe('');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(mailroom.settings.view().version).toBe(before);
  });

  it('refuses a form posted without its CSRF token, for the save and for the check', async () => {
    const before = mailroom.settings.view().version;
    const { page } = await open();
    for (const path of ['/mail-server', '/mail-server/check']) {
      const response = await page.request.post(`${server.console}${path}`, { form: { 'smtp.host': 'evil.example.com', action: 'save' } });
      expect(response.status()).toBe(403);
      expect(await response.text()).toMatch(/did not come from this console/);
    }
    expect(mailroom.settings.view().version).toBe(before);
    expect(mailroom.config.smtp?.host).toBe('127.0.0.1');
  });
});
