import { createServer, type AddressInfo } from 'node:net';
import { diagnoseSmtp, type DiagnosisStep, type SmtpSettings } from '@mailroom/adapters';
import { MsalTokenSource } from '../../../packages/adapters/src/oauth/msal-token-source';
import type { SmtpAuth } from '../../../packages/adapters/src/smtp/smtp-settings';
import { generate } from 'selfsigned';
import { expectNoSecrets } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const MAILBOX = 'notifications@mailroom.test';
const PASSWORD = 'S3cret-Passw0rd!';
const CLIENT_SECRET = 'client-secret-Value~42';
const FROM = MAILBOX;
const SERVER_NAME = 'mail.mailroom.test';

const failedStep = (steps: DiagnosisStep[]) => steps.find((s) => !s.ok && !s.skipped);
const summary = (steps: DiagnosisStep[]) => steps.map((s) => `${s.step}:${s.skipped ? 'skipped' : s.ok ? 'ok' : 'failed'}`);

/** Every step up to `step` passed, `step` failed, the rest were not run. */
function expectFailureAt(steps: DiagnosisStep[], step: DiagnosisStep['step']): DiagnosisStep {
  const failed = failedStep(steps);
  expect(failed?.step).toBe(step);
  const index = steps.indexOf(failed!);
  expect(steps.slice(index + 1).every((s) => s.skipped && !s.ok)).toBe(true);
  expect(steps.slice(0, index).every((s) => s.ok)).toBe(true);
  expect(failed!.cause).toBeTruthy();
  expect(failed!.fix).toBeTruthy();
  return failed!;
}

describe('diagnoseSmtp: each step against real servers', () => {
  let certs: TestCertificates;
  let starttls: SmtpTestServer; // STARTTLS, PLAIN/LOGIN, answers MAIL FROM for others with 550 5.7.60
  let implicit: SmtpTestServer; // TLS from the first byte
  let plainOnly: SmtpTestServer; // no STARTTLS at all
  let xoauth2: SmtpTestServer; // XOAUTH2; tokens starting with "good-" pass, others get 535 5.7.3
  let endpoint: TokenEndpoint;
  const servers: SmtpTestServer[] = [];
  const texts: string[] = [];

  beforeAll(async () => {
    certs = await makeTestCertificates();
    const tlsOptions = { key: certs.key, cert: certs.cert };
    starttls = await startSmtpServer({
      ...tlsOptions,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _s, cb) =>
        auth.username === MAILBOX && auth.password === PASSWORD
          ? cb(null, { user: MAILBOX })
          : cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
      onMailFrom: (address, _s, cb) =>
        address.address === FROM
          ? cb()
          : cb(Object.assign(new Error('5.7.60 SMTP; Client does not have permissions to send as this sender'), { responseCode: 550 })),
    });
    implicit = await startSmtpServer({
      ...tlsOptions,
      secure: true,
      authMethods: ['PLAIN'],
      onAuth: (auth, _s, cb) => cb(null, { user: auth.username }),
    });
    plainOnly = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (a, _s, cb) => cb(null, { user: a.username }),
    });
    xoauth2 = await startSmtpServer({
      ...tlsOptions,
      authMethods: ['XOAUTH2'],
      onAuth: (auth, _s, cb) => {
        if (auth.accessToken?.startsWith('good-') || auth.accessToken?.includes('.')) return cb(null, { user: MAILBOX });
        if (auth.username === 'disabled@mailroom.test') {
          return cb(
            Object.assign(new Error('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'), {
              responseCode: 535,
            }),
          );
        }
        return cb(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
      },
    });
    servers.push(starttls, implicit, plainOnly, xoauth2);
    endpoint = await startTokenEndpoint();
  });

  afterAll(async () => {
    await Promise.all([...servers.map((s) => s.close()), endpoint.close()]);
    // No message ever reached a server: the diagnosis stops at MAIL FROM.
    expect(servers.flatMap((s) => s.received)).toEqual([]);
    expectNoSecrets(texts, [PASSWORD, CLIENT_SECRET, ...endpoint.issued]);
  });

  afterEach(() => {
    for (const s of servers) s.logins.length = 0;
  });

  const password = (pass = PASSWORD): SmtpAuth => ({ kind: 'direct', username: MAILBOX, password: pass });
  const oauth2 = (username = MAILBOX): SmtpAuth => ({
    kind: 'oauth2',
    username,
    tokenUrl: `${endpoint.origin}/oauth/token`,
    clientId: 'mailroom-app',
    clientSecret: CLIENT_SECRET,
  });

  async function diagnose(
    settings: Partial<SmtpSettings> & { port: number },
    options: { from?: string; tokenSource?: MsalTokenSource } = {},
  ): Promise<DiagnosisStep[]> {
    const steps = await diagnoseSmtp(
      { host: '127.0.0.1', tls: { mode: 'starttls', ca: certs.ca, servername: SERVER_NAME }, auth: password(), ...settings },
      { from: options.from ?? FROM, timeoutMs: 3000, ...(options.tokenSource ? { tokenSource: options.tokenSource } : {}) },
    );
    texts.push(JSON.stringify(steps));
    return steps;
  }

  it('passes every step with STARTTLS and a password, naming the certificate and the mechanisms', async () => {
    const steps = await diagnose({ port: starttls.port });
    expect(summary(steps)).toEqual(['resolve:ok', 'connect:ok', 'tls:ok', 'ehlo:ok', 'token:skipped', 'auth:ok', 'mail-from:ok']);
    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(byStep.tls!.detail).toMatch(
      /STARTTLS accepted; TLSv1\.[23], certificate CN=mail\.mailroom\.test .*issued by CN=Mailroom Test CA/,
    );
    expect(byStep.ehlo!.detail).toMatch(/offers login mechanisms PLAIN, LOGIN; STARTTLS in use/);
    expect(byStep.auth!.detail).toBe(`logged in as ${MAILBOX} with PLAIN`);
    expect(byStep['mail-from']!.detail).toMatch(/MAIL FROM:<notifications@mailroom\.test> accepted \(250/);
    expect(starttls.logins).toEqual([{ method: 'PLAIN', username: MAILBOX, ok: true }]);
  });

  it('tells each step to onStep as it completes, in order, the same steps it returns, without a secret', async () => {
    endpoint.answerWith((_r, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `good-${n}` } }));
    const told: { step: DiagnosisStep; returned: boolean }[] = [];
    let returned = false;
    const steps = await diagnoseSmtp(
      { host: '127.0.0.1', port: xoauth2.port, tls: { mode: 'starttls', ca: certs.ca, servername: SERVER_NAME }, auth: oauth2() },
      { from: FROM, timeoutMs: 3000, onStep: (step) => told.push({ step, returned }) },
    );
    returned = true;
    texts.push(JSON.stringify(told));
    expect(told.map((t) => t.step)).toEqual(steps);
    expect(told.every((t) => !t.returned)).toBe(true);
    expect(summary(steps)).toEqual(['resolve:ok', 'connect:ok', 'tls:ok', 'ehlo:ok', 'token:ok', 'auth:ok', 'mail-from:ok']);
  });

  it('tells the failing step and the steps not run to onStep', async () => {
    const told: DiagnosisStep[] = [];
    const steps = await diagnoseSmtp(
      { host: '127.0.0.1', port: starttls.port, tls: { mode: 'starttls', ca: certs.ca, servername: SERVER_NAME }, auth: password('wrong') },
      { from: FROM, timeoutMs: 3000, onStep: (step) => told.push(step) },
    );
    expect(told).toEqual(steps);
    expect(summary(told)).toEqual(['resolve:ok', 'connect:ok', 'tls:ok', 'ehlo:ok', 'token:skipped', 'auth:failed', 'mail-from:skipped']);
  });

  it('passes with implicit TLS', async () => {
    const steps = await diagnose({ port: implicit.port, tls: { mode: 'implicit', ca: certs.ca, servername: SERVER_NAME } });
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps.find((s) => s.step === 'tls')!.detail).toMatch(/^TLSv1\.[23], certificate CN=mail\.mailroom\.test/);
  });

  it('resolve: a host name that does not exist', async () => {
    const steps = await diagnose({ host: 'no-such-host.invalid', port: 587 });
    const failed = expectFailureAt(steps, 'resolve');
    expect(failed.cause).toMatch(/no-such-host\.invalid (does not exist in DNS|)|DNS could not answer/);
  });

  it('connect: a closed port is refused', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const failed = expectFailureAt(await diagnose({ port }), 'connect');
    expect(failed).toMatchObject({ code: 'ECONNREFUSED' });
    expect(failed.cause).toMatch(new RegExp(`Nothing accepts connections on 127\\.0\\.0\\.1:${port}`));
    expect(failed.fix).toMatch(/587 for STARTTLS, 465 for implicit TLS/);
  });

  describe('tls: certificate problems are named, and no credential is sent', () => {
    it('unknown CA (STARTTLS)', async () => {
      const failed = expectFailureAt(
        await diagnose({ port: starttls.port, tls: { mode: 'starttls', ca: certs.otherCa, servername: SERVER_NAME } }),
        'tls',
      );
      expect(failed.cause).toMatch(/issued by CN=Mailroom Test CA, which this machine does not know/);
      expect(failed.fix).toMatch(/tls\.ca/);
      expect(starttls.logins).toEqual([]);
    });

    it('self-signed (implicit TLS)', async () => {
      const self = await generate([{ name: 'commonName', value: SERVER_NAME }], {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: SERVER_NAME }] }],
      });
      const server = await startSmtpServer({
        secure: true,
        key: self.private,
        cert: self.cert,
        authMethods: ['PLAIN'],
        onAuth: (a, _s, cb) => cb(null, { user: a.username }),
      });
      servers.push(server);
      const failed = expectFailureAt(await diagnose({ port: server.port, tls: { mode: 'implicit', servername: SERVER_NAME } }), 'tls');
      expect(failed).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(failed.cause).toMatch(/self-signed/);
      expect(server.logins).toEqual([]);
    });

    it('host name mismatch', async () => {
      const failed = expectFailureAt(await diagnose({ port: starttls.port, tls: { mode: 'starttls', ca: certs.ca } }), 'tls');
      expect(failed).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      expect(failed.cause).toMatch(/certificate is for mail\.mailroom\.test, not for 127\.0\.0\.1/);
      expect(failed.fix).toMatch(/tls\.servername to mail\.mailroom\.test/);
    });

    it('expired', async () => {
      const ca = await generate([{ name: 'commonName', value: 'Old CA' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, critical: true },
        ],
      });
      const old = await generate([{ name: 'commonName', value: SERVER_NAME }], {
        keyType: 'ec',
        algorithm: 'sha256',
        ca: { key: ca.private, cert: ca.cert },
        notBeforeDate: new Date(Date.now() - 2 * 365 * 86_400_000),
        notAfterDate: new Date(Date.now() - 86_400_000),
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: SERVER_NAME }] }],
      });
      const server = await startSmtpServer({ secure: true, key: old.private, cert: old.cert });
      servers.push(server);
      const failed = expectFailureAt(
        await diagnose({ port: server.port, tls: { mode: 'implicit', ca: ca.cert, servername: SERVER_NAME } }),
        'tls',
      );
      expect(failed).toMatchObject({ code: 'CERT_HAS_EXPIRED' });
      expect(failed.cause).toMatch(/expired on \d{4}-\d\d-\d\d/);
    });

    it('a server without STARTTLS fails in starttls mode', async () => {
      const failed = expectFailureAt(await diagnose({ port: plainOnly.port }), 'tls');
      expect(failed.cause).toMatch(/does not offer STARTTLS/);
      expect(plainOnly.logins).toEqual([]);
    });

    it('implicit TLS against a plain port', async () => {
      const failed = expectFailureAt(await diagnose({ port: plainOnly.port, tls: { mode: 'implicit' } }), 'tls');
      expect(failed.cause).toMatch(/does not speak TLS/);
    });
  });

  it('ehlo: OAuth2 against a server that does not offer XOAUTH2', async () => {
    const failed = expectFailureAt(await diagnose({ port: starttls.port, auth: oauth2() }), 'ehlo');
    expect(failed.cause).toMatch(/does not offer XOAUTH2 \(it offers PLAIN, LOGIN\)/);
  });

  it('ehlo: tls none reports that STARTTLS is offered but unused; auth none needs no login', async () => {
    const steps = await diagnose({ port: starttls.port, tls: { mode: 'none' }, auth: { kind: 'none' } });
    expect(summary(steps)).toEqual(['resolve:ok', 'connect:ok', 'tls:skipped', 'ehlo:ok', 'token:skipped', 'auth:skipped', 'mail-from:ok']);
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps.find((s) => s.step === 'ehlo')!.detail).toMatch(/STARTTLS offered but not used/);
  });

  it('auth: a wrong password', async () => {
    const failed = expectFailureAt(await diagnose({ port: starttls.port, auth: password('wrong-Passw0rd') }), 'auth');
    expect(failed).toMatchObject({ code: '535 5.7.8' });
    expect(failed.cause).toMatch(/refused the username or password for notifications@mailroom\.test/);
    // One login, not one per mechanism: a 535 refuses the password, whatever the mechanism.
    expect(failed.detail).toMatch(/\(tried PLAIN\)$/);
    expect(starttls.logins).toHaveLength(1);
  });

  it('token: the endpoint answers AADSTS7000215', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description:
          'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      },
    }));
    const failed = expectFailureAt(await diagnose({ port: xoauth2.port, auth: oauth2() }), 'token');
    expect(failed).toMatchObject({ code: 'AADSTS7000215' });
    expect(failed.cause).toMatch(/invalid client secret \(often the secret's ID was pasted instead of its value\)/);
    expect(failed.fix).toMatch(/Value .*not its Secret ID/);
    expect(xoauth2.logins).toEqual([]);
  });

  it('auth: Exchange answers 535 5.7.3 to the token: the Exchange-side checklist', async () => {
    endpoint.answerWith((_r, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `refused-${n}` } }));
    const failed = expectFailureAt(await diagnose({ port: xoauth2.port, auth: oauth2() }), 'auth');
    expect(failed).toMatchObject({ code: '535 5.7.3' });
    expect(failed.cause).toMatch(/Exchange Online refused the OAuth2 token/);
    expect(failed.fix).toMatch(/SMTP\.SendAsApp/);
    expect(failed.fix).toMatch(/New-ServicePrincipal .*Enterprise application/);
    expect(failed.fix).toMatch(/FullAccess/);
  });

  it('auth: 535 5.7.139 SMTP AUTH disabled for the tenant', async () => {
    endpoint.answerWith((_r, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `refused-${n}` } }));
    const failed = expectFailureAt(await diagnose({ port: xoauth2.port, auth: oauth2('disabled@mailroom.test') }), 'auth');
    expect(failed.cause).toMatch(
      /SMTP client authentication \(SMTP AUTH\) is disabled for the tenant or for the mailbox disabled@mailroom\.test/,
    );
    expect(failed.fix).toMatch(/Set-CASMailbox -Identity disabled@mailroom\.test -SmtpClientAuthenticationDisabled \$false/);
  });

  it("token and auth pass through msal-node for a Microsoft token URL; the token's roles are read", async () => {
    const claims = Buffer.from(JSON.stringify({ aud: 'https://outlook.office365.com', roles: ['Mail.Send'] })).toString('base64url');
    const jwt = `eyJhbGciOiJub25lIn0.${claims}.sig`;
    endpoint.answerWith(() => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: jwt } }));
    const tokenUrl = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token';
    const local: typeof fetch = (input, init) => fetch(String(input).replace('https://login.microsoftonline.com', endpoint.origin), init);
    const tokenSource = new MsalTokenSource({ tokenUrl, clientId: 'mailroom-app', clientSecret: CLIENT_SECRET, fetch: local });
    const steps = await diagnose(
      { port: xoauth2.port, auth: { ...(oauth2() as Extract<SmtpAuth, { kind: 'oauth2' }>), tokenUrl } },
      { tokenSource },
    );
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps.find((s) => s.step === 'token')!.detail).toMatch(
      /audience https:\/\/outlook\.office365\.com; roles Mail\.Send; SMTP\.SendAsApp is missing/,
    );
    expect(steps.find((s) => s.step === 'auth')!.detail).toMatch(/with XOAUTH2/);
  });

  it('mail-from: 550 5.7.60 when From is not the mailbox', async () => {
    const failed = expectFailureAt(await diagnose({ port: starttls.port }, { from: 'someone-else@mailroom.test' }), 'mail-from');
    expect(failed).toMatchObject({ code: '550 5.7.60' });
    expect(failed.cause).toMatch(/does not let notifications@mailroom\.test send as someone-else@mailroom\.test/);
    expect(failed.fix).toMatch(/Set from to notifications@mailroom\.test, or grant the right: Add-RecipientPermission/);
  });
});
