import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestMailroom } from '@mailroom/app';
import { MailCatcher } from '../../packages/app/src/catcher/mail-catcher';
import { anEntraAccessToken, epochMinutesFromNow } from '../support/access-token-mother';
import { expectNoSecrets } from '../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { makeTestCertificates } from '../support/test-certificates';
import { startTokenEndpoint, type TokenEndpoint } from '../support/token-endpoint';

const CLI = join(__dirname, '../../packages/app/dist/cli/main.js');
const MAILBOX = 'notifications@mailroom.test';
const PASSWORD = 'S3cret-Passw0rd!';
const CLIENT_SECRET = 'client-secret-Value~42';
const SERVER_NAME = 'mail.mailroom.test';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `mailroom doctor` as a process, with only the given MAILROOM_ settings. Asynchronous: the servers it
 * talks to run in this test's process, so blocking on the child (spawnSync) would starve them.
 */
function doctor(dir: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MAILROOM_')) clean[k] = v;
  return new Promise((resolve, reject) => {
    const timeout = env.MAILROOM_SMTP_HOST ? { MAILROOM_SMTP_CONNECTION_TIMEOUT_MS: '5000' } : {};
    const child = spawn(process.execPath, [CLI, 'doctor', ...args], { cwd: dir, env: { ...clean, ...timeout, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('mailroom doctor as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-doctor-'));
  const caFile = join(dir, 'ca.pem');
  let server: SmtpTestServer;
  let endpoint: TokenEndpoint;
  const outputs: string[] = [];

  beforeAll(async () => {
    const certs = await makeTestCertificates();
    writeFileSync(caFile, certs.ca);
    endpoint = await startTokenEndpoint();
    server = await startSmtpServer({
      key: certs.key,
      cert: certs.cert,
      authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
      onAuth(auth, _session, callback) {
        if (auth.method === 'XOAUTH2')
          return callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
        if (auth.username === MAILBOX && auth.password === PASSWORD) return callback(null, { user: MAILBOX });
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom(address, _session, callback) {
        if (address.address === MAILBOX) return callback();
        return callback(
          Object.assign(new Error('5.7.60 SMTP; Client does not have permissions to send as this sender'), { responseCode: 550 }),
        );
      },
    });
  });

  afterAll(async () => {
    await Promise.all([server.close(), endpoint.close()]);
    rmSync(dir, { recursive: true, force: true });
    expect(server.received).toEqual([]);
    expectNoSecrets(outputs, [PASSWORD, CLIENT_SECRET, ...endpoint.issued]);
  });

  /** The settings of a good STARTTLS server with a password; each test changes one thing. */
  const good = (): Record<string, string> => ({
    MAILROOM_SMTP_HOST: '127.0.0.1',
    MAILROOM_SMTP_PORT: String(server.port),
    MAILROOM_SMTP_TLS: 'starttls',
    MAILROOM_SMTP_CA_FILE: caFile,
    MAILROOM_SMTP_SERVERNAME: SERVER_NAME,
    MAILROOM_SMTP_AUTH: 'direct',
    MAILROOM_SMTP_USERNAME: MAILBOX,
    MAILROOM_SMTP_PASSWORD: PASSWORD,
    MAILROOM_FROM_ADDRESS: MAILBOX,
  });
  const oauth2 = (): Record<string, string> => {
    const { MAILROOM_SMTP_PASSWORD: _password, ...rest } = good();
    return {
      ...rest,
      MAILROOM_SMTP_AUTH: 'oauth2',
      MAILROOM_OAUTH_TOKEN_URL: `${endpoint.origin}/oauth/token`,
      MAILROOM_OAUTH_CLIENT_ID: 'mailroom-app',
      MAILROOM_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    };
  };

  async function run(env: Record<string, string>, args: string[] = []): Promise<Run> {
    const result = await doctor(dir, env, args);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  /** Exit code 1; the failing step marked ✗ with its cause and fix; the steps after it not run. */
  async function expectFailure(env: Record<string, string>, step: string): Promise<string> {
    const { status, stdout, stderr } = await run(env);
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(stdout).toMatch(new RegExp(`^✗ ${step} `, 'm'));
    expect(stdout).toMatch(/^ +cause: /m);
    expect(stdout).toMatch(/^ +fix: /m);
    expect(stdout).toContain(`Failed at: ${step}.`);
    return stdout;
  }

  it('all green: exit code 0, every step ✓, and --json is parseable', async () => {
    const human = await run(good());
    expect(human.status).toBe(0);
    for (const step of ['configuration', 'resolve', 'connect', 'tls', 'ehlo', 'auth', 'mail-from'])
      expect(human.stdout).toMatch(new RegExp(`^✓ ${step} `, 'm'));
    expect(human.stdout).toMatch(/^– token +no OAuth2/m);
    expect(human.stdout).toContain('All checks passed.');

    const json = await run(good(), ['--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; steps: { step: string; ok: boolean; skipped?: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual(['configuration', 'resolve', 'connect', 'tls', 'ehlo', 'token', 'auth', 'mail-from']);
    expect(report.steps.every((s) => s.ok)).toBe(true);
  });

  it('refused port', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const out = await expectFailure({ ...good(), MAILROOM_SMTP_PORT: String(port) }, 'connect');
    expect(out).toMatch(/cause: +Nothing accepts connections on 127\.0\.0\.1:\d+: the connection was refused/);
    expect(out).toMatch(/fix: +Check smtp\.port/);
  });

  it('bad certificate: a CA this machine does not know, fixed with smtp.caFile', async () => {
    const { MAILROOM_SMTP_CA_FILE: _ca, ...noCa } = good();
    const out = await expectFailure(noCa, 'tls');
    expect(out).toMatch(
      /cause: +The server certificate \(CN=mail\.mailroom\.test\) was issued by CN=Mailroom Test CA, which this machine does not know/,
    );
    expect(out).toMatch(/fix: +Put the PEM certificate of the issuing CA in smtp\.caFile/);
    expect(out).toMatch(/^– auth +not run/m);
  });

  it('wrong password', async () => {
    const out = await expectFailure({ ...good(), MAILROOM_SMTP_PASSWORD: 'Wrong-Passw0rd!' }, 'auth');
    expect(out).toMatch(/cause: +The server refused the username or password for notifications@mailroom\.test \(535 5\.7\.8/);
    expect(out).toMatch(/fix: +Check smtp\.auth\.username \(MAILROOM_SMTP_USERNAME\) and smtp\.auth\.password \(MAILROOM_SMTP_PASSWORD\)/);
    expectNoSecrets([out], ['Wrong-Passw0rd!']);
  });

  it('token endpoint answering AADSTS7000215', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'mailroom-app'.`,
      },
    }));
    const out = await expectFailure(oauth2(), 'token');
    expect(out).toMatch(
      /cause: +Microsoft Entra refused the client credentials with AADSTS7000215: invalid client secret \(often the secret's ID was pasted instead of its value\)/,
    );
    expect(out).toMatch(
      /fix: +The client secret is invalid: put the secret's Value from the app registration in smtp\.auth\.clientSecret \(MAILROOM_OAUTH_CLIENT_SECRET\), not its Secret ID/,
    );
  });

  it('server answering 535 5.7.3 to the token', async () => {
    endpoint.answerWith((_r, n) => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: `issued-token-${n}-${Math.random().toString(36).slice(2)}` },
    }));
    const out = await expectFailure(oauth2(), 'auth');
    expect(out).toMatch(
      /cause: +Exchange Online refused the OAuth2 token for notifications@mailroom\.test \(535 5\.7\.3 Authentication unsuccessful\)/,
    );
    expect(out).toMatch(/SMTP\.SendAsApp.*admin consent/);
    expect(out).toMatch(/New-ServicePrincipal -AppId <client id> -ObjectId <object id> — the object id of the Enterprise application/);
    expect(out).toMatch(/-AccessRights FullAccess/);
    expect(out).toMatch(/^✓ token +token from http/m);
  });

  describe('the token step reads the JWT: exp, nbf, and for Entra the audience and roles', () => {
    const issuing = (token: string) =>
      endpoint.answerWith(() => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token } }));

    it('an expired token fails at the token step, whatever expires_in said, and is not sent', async () => {
      issuing(anEntraAccessToken({ exp: epochMinutesFromNow(-30), nbf: epochMinutesFromNow(-90) }));
      const logins = server.logins.length;
      const out = await expectFailure(oauth2(), 'token');
      expect(out).toMatch(
        /cause: +The access token from http:\/\/127\.0\.0\.1:\d+\/oauth\/token expired at \S+ \(its exp claim\), 30 min ago/,
      );
      expect(out).toMatch(/fix: +Check this machine's clock/);
      expect(out).not.toMatch(/valid for 60 min/);
      expect(server.logins.length).toBe(logins);
    });

    it('a token not yet valid fails at the token step', async () => {
      issuing(anEntraAccessToken({ nbf: epochMinutesFromNow(20), exp: epochMinutesFromNow(80) }));
      const out = await expectFailure(oauth2(), 'token');
      expect(out).toMatch(/cause: +The access token .* is not valid before \S+ \(its nbf claim\), 20 min from now/);
    });

    it('a token without SMTP.SendAsApp: the failing AUTH step names the missing permission and admin consent, not the generic checklist', async () => {
      issuing(anEntraAccessToken({ roles: undefined }));
      const out = await expectFailure(oauth2(), 'auth');
      expect(out).toMatch(/^✓ token .*no application roles; SMTP\.SendAsApp is missing/m);
      expect(out).toMatch(
        /cause: +The server refused the OAuth2 token .*\(535 5\.7\.3 Authentication unsuccessful\)\. The token carries no SMTP\.SendAsApp application role/,
      );
      expect(out).toMatch(
        /fix: +Entra admin center → App registrations → .*Application permissions → SMTP\.SendAsApp; then "Grant admin consent"/,
      );
      expect(out).not.toMatch(/New-ServicePrincipal/);
    });

    it.each(['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'])(
      'a token for %s (Microsoft Graph): the failing AUTH step names the audience and smtp.auth.scope with the right value',
      async (aud) => {
        issuing(anEntraAccessToken({ aud, roles: ['Mail.Send'] }));
        const out = await expectFailure(oauth2(), 'auth');
        expect(out).toMatch(new RegExp(`^✓ token .*audience ${aud.replace(/\./g, '\\.')} \\(Microsoft Graph, not Exchange Online\\)`, 'm'));
        expect(out).toMatch(
          /cause: +The server refused the OAuth2 token .* The token is for \S+ \(Microsoft Graph\), not for Exchange Online/,
        );
        expect(out).toMatch(/fix: +Set smtp\.auth\.scope \(MAILROOM_OAUTH_SCOPE\) to https:\/\/outlook\.office365\.com\/\.default/);
      },
    );
  });

  it('server answering 550 5.7.60 to MAIL FROM', async () => {
    const out = await expectFailure({ ...good(), MAILROOM_FROM_ADDRESS: 'someone-else@mailroom.test' }, 'mail-from');
    expect(out).toMatch(/cause: +The server does not let notifications@mailroom\.test send as someone-else@mailroom\.test \(550 5\.7\.60/);
    expect(out).toMatch(
      /fix: +Set from\.address \(MAILROOM_FROM_ADDRESS\) to notifications@mailroom\.test, or grant the right: Add-RecipientPermission/,
    );
  });

  it('invalid configuration fails at the configuration step, as JSON too', async () => {
    const { status, stdout } = await run({ ...good(), MAILROOM_SMTP_PORT: '465' }, ['--json']);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; steps: { step: string; ok: boolean; issues: { setting: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]).toMatchObject({ step: 'configuration', ok: false, issues: [{ setting: 'smtp.tls' }] });
  });

  it('with no SMTP server configured and no catcher running, says so and exits 0', async () => {
    const { status, stdout } = await run({});
    expect(status).toBe(0);
    expect(stdout).toMatch(/No SMTP server is configured \(smtp\.host\): mails go to the development mail catcher/);
    expect(stdout).toMatch(/none is running now/);
  });

  it('with no SMTP server configured, diagnoses the development catcher another Mailroom process runs', async () => {
    const inbox = join(dir, 'inbox');
    const catcher = new MailCatcher(inbox, 0);
    const port = await catcher.start();
    // What `mailroom start` leaves for other processes: the catcher's port, under a live pid.
    writeFileSync(join(inbox, 'catcher.json'), JSON.stringify({ pid: process.pid, port }));
    try {
      const { status, stdout } = await run({ MAILROOM_CATCHER_DIR: inbox });
      expect(status).toBe(0);
      expect(stdout).toContain(`Mailroom doctor: development mail catcher on 127.0.0.1:${port}`);
      expect(stdout).toMatch(/^– tls +TLS mode none/m);
      expect(stdout).toMatch(/^– auth +auth none/m);
      expect(stdout).toMatch(/^✓ mail-from +MAIL FROM:<mailroom@localhost\.localdomain> accepted/m);
    } finally {
      await catcher.stop();
    }
  });

  it('the host API: Mailroom.doctor() returns the same report', async () => {
    const mailroom = await createTestMailroom({
      config: {
        smtp: {
          host: '127.0.0.1',
          port: server.port,
          tls: 'starttls',
          caFile,
          servername: SERVER_NAME,
          auth: { type: 'direct', username: MAILBOX, password: 'Wrong-Passw0rd!' },
        },
        from: { address: MAILBOX },
      },
    });
    const report = await mailroom.doctor();
    await mailroom.stop();
    outputs.push(JSON.stringify(report));
    expectNoSecrets([JSON.stringify(report)], ['Wrong-Passw0rd!']);
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      'configuration:true',
      'resolve:true',
      'connect:true',
      'tls:true',
      'ehlo:true',
      'token:true',
      'auth:false',
      'mail-from:false',
    ]);
    expect(report.steps.find((s) => s.step === 'auth')).toMatchObject({
      code: '535 5.7.8',
      fix: expect.stringMatching(/smtp\.auth\.password/),
    });
  });
});
