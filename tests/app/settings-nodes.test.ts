import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createLogger } from '../../packages/app/src/logger';
import { ConfigError, createMailroom, type Mailroom, type MailroomConfigInput } from '@mailroom/app';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { parseMetrics, valueOf } from '../support/metrics';
import { startTokenEndpoint, type TokenEndpoint } from '../support/token-endpoint';
import { expectNoSecrets } from '../support/secrets';
import { until } from '../support/until';

const KEY = randomBytes(32).toString('base64');
const PASSWORD_A = 'password-of-server-a';
const PASSWORD_B = 'password-of-server-b-never-stored-plain';

/** A server that accepts PLAIN without TLS for one user and password. */
function aPasswordServer(user: string, password: string): Promise<SmtpTestServer> {
  return startSmtpServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (auth, _session, callback) =>
      auth.username === user && auth.password === password
        ? callback(null, { user })
        : callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
  });
}

describeOnSystemPostgres()('run-time settings across nodes (system PostgreSQL, real SMTP servers)', () => {
  const schema = uniqueSchema();
  const nodes: Mailroom[] = [];
  let a: SmtpTestServer;
  let b: SmtpTestServer;

  const config = (smtpPort: number): MailroomConfigInput => ({
    database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 3 },
    smtp: {
      host: '127.0.0.1',
      port: smtpPort,
      tls: 'none',
      allowInsecureAuth: true,
      auth: { type: 'direct', username: 'mailer-a', password: PASSWORD_A },
    },
    from: { address: 'noreply@idm.example.com' },
    // The default poll (5 s): a change must arrive by NOTIFY to be used within 2 s.
    worker: { pollIntervalMs: 5000 },
    log: { level: 'silent' },
  });
  // Every node logs at debug into `lines`, which must never hold a password.
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const aNode = async (env: NodeJS.ProcessEnv = {}) => {
    const node = await createMailroom({ env: { MAILROOM_SECRET_KEY: KEY, ...env }, config: config(a.port), logger });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    a = await aPasswordServer('mailer-a', PASSWORD_A);
    b = await aPasswordServer('mailer-b', PASSWORD_B);
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all([a?.close(), b?.close()]);
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
    expect(lines.length).toBeGreaterThan(0);
    expectNoSecrets(lines, [PASSWORD_A, PASSWORD_B]);
  });

  it("uses a change saved on one node for the other node's next send within 2 s, losing and doubling nothing", async () => {
    const admin = await aNode(); // serves the admin API, sends nothing
    const worker = await aNode();
    worker.start();
    let sent = 0;
    const notifyOne = () =>
      worker.notify({
        kind: 'user-invite',
        recipient: { userId: `u${sent}`, address: `user${sent++}@example.com` },
        payload: fullPayloads['user-invite'],
      });
    for (let i = 0; i < 5; i++) await notifyOne();
    await until(() => a.received.length === 5, 'five mails through server A');

    // Saved through the admin node's HTTP API, as the admin page does.
    const api = createServer(admin.adminHandler({ authorize: async () => ({ id: 'ada' }) }).listener);
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const savedAt = Date.now();
    const response = await fetch(`http://127.0.0.1:${(api.address() as AddressInfo).port}/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-mailroom-request': '1' },
      body: JSON.stringify({ set: { 'smtp.port': b.port, 'smtp.auth.username': 'mailer-b', 'smtp.auth.password': PASSWORD_B } }),
    });
    api.close();
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(PASSWORD_B);
    // Keep notifying on the worker node until a mail reaches server B.
    while (b.received.length === 0 && Date.now() - savedAt < 10_000) {
      await notifyOne();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const tookMs = Date.now() - savedAt;
    console.info(`a settings change saved on one node reached the other node's sends after ${tookMs} ms`);
    expect(b.received.length).toBeGreaterThan(0);
    expect(tookMs).toBeLessThan(2000);
    expect(worker.config.smtp?.port).toBe(b.port);

    // Every mail went out exactly once, through A before the switch or B after.
    await until(async () => (await worker.outbox.counts()).sent === sent, 'every mail sent', 15_000);
    const recipients = [...a.received, ...b.received].flatMap((m) => m.to).sort();
    expect(recipients).toEqual(Array.from({ length: sent }, (_, i) => `user${i}@example.com`).sort());
  });

  it('sends a test mail and runs the check with settings not saved yet, leaving the saved ones alone', async () => {
    const node = await aNode();
    const version = node.settings.view().version;
    const candidate = { set: { 'smtp.port': a.port, 'smtp.auth.username': 'mailer-a', 'smtp.auth.password': PASSWORD_A } };
    const before = a.received.length;
    const receipt = await node.sendTest('admin@example.com', { settings: candidate });
    expect(receipt.accepted).toEqual(['admin@example.com']);
    expect(a.received.length).toBe(before + 1);
    const report = await node.checkSettings({ set: { 'smtp.auth.password': 'wrong-password' } });
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain('wrong-password');
    expect(node.settings.view().version).toBe(version);
    expect(node.config.smtp?.port).toBe(b.port);
  });

  it('keeps the stored secret sealed: the raw rows hold neither the password nor its base64', async () => {
    const client = new Client({ connectionString: SYSTEM_POSTGRES_URL });
    await client.connect();
    try {
      const settings = await client.query(`SELECT * FROM "${schema}".settings`);
      const audit = await client.query(`SELECT * FROM "${schema}".settings_audit`);
      const raw = JSON.stringify([settings.rows, audit.rows]);
      expect(raw).toContain('smtp.auth.password');
      expect(raw).not.toContain(PASSWORD_B);
      expect(raw).not.toContain(Buffer.from(PASSWORD_B).toString('base64'));
    } finally {
      await client.end();
    }
  });

  it('refuses a setting its environment variable sets, naming the variable', async () => {
    const locked = await aNode({ MAILROOM_SMTP_PORT: String(a.port) });
    const port = locked.settings.view().settings.find((s) => s.path === 'smtp.port')!;
    expect(port).toMatchObject({ source: 'environment', locked: true, variable: 'MAILROOM_SMTP_PORT' });
    const refusal = await locked.settings.update({ set: { 'smtp.port': 2525 } }, 'ada').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toContain('MAILROOM_SMTP_PORT');
  });
});

describeOnSystemPostgres()('a server whose SMTP settings were saved at run time', () => {
  const schema = uniqueSchema();
  const database = { url: SYSTEM_POSTGRES_URL, schema, poolSize: 2 };
  let smtp: SmtpTestServer;

  beforeAll(async () => (smtp = await startSmtpServer()));
  afterAll(async () => {
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  it('refuses to start without an SMTP server anywhere, then starts on the one an admin saved, even with the file incomplete', async () => {
    const bare = { database, from: { address: 'noreply@example.com' }, log: { level: 'silent' as const } };
    const refusal = await createMailroom({ env: {}, config: bare }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toContain('mailroom settings set smtp.host');

    const admin = await createMailroom({ env: {}, config: { ...bare, smtp: { host: '127.0.0.1', port: 1, tls: 'none' } } });
    await admin.settings.update(
      { set: { 'smtp.host': '127.0.0.1', 'smtp.port': smtp.port, 'smtp.tls': 'none', 'from.address': 'saved@example.com' } },
      'ada',
    );
    await admin.stop();

    // No smtp in the host's settings; only the port in the environment (incomplete without the saved host).
    const node = await createMailroom({ env: { MAILROOM_SMTP_PORT: String(smtp.port) }, config: bare });
    try {
      expect(node.config.smtp).toMatchObject({ host: '127.0.0.1', port: smtp.port });
      expect(node.settings.view().settings.find((s) => s.path === 'smtp.host')).toMatchObject({ source: 'stored' });
      await node.sendTest('admin@example.com');
      expect(smtp.received).toHaveLength(1);
      // Delivery uses the saved sender from the start, too.
      node.start();
      await node.notify({
        kind: 'user-invite',
        recipient: { userId: 'u1', address: 'u1@example.com' },
        payload: fullPayloads['user-invite'],
      });
      await until(() => smtp.received.length === 2, 'the notification');
      expect(smtp.received[1]!.from).toBe('saved@example.com');
    } finally {
      await node.stop();
    }
  });
});

describeOnSystemPostgres()('run-time settings and the OAuth2 token cache', () => {
  const schema = uniqueSchema();
  let endpoint: TokenEndpoint;
  let smtp: SmtpTestServer;
  let mailroom: Mailroom | undefined;

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    smtp = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      onAuth: (auth, _session, callback) =>
        endpoint.issued.includes(auth.accessToken ?? '')
          ? callback(null, { user: auth.username })
          : callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 })),
    });
  });

  afterAll(async () => {
    await mailroom?.stop();
    await Promise.all([smtp?.close(), endpoint?.close()]);
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  it('keeps the token when other settings change, and drops it when the token URL, client, secret or scope change', async () => {
    mailroom = await createMailroom({
      env: { MAILROOM_SECRET_KEY: KEY },
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 3 },
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowInsecureAuth: true,
          auth: {
            type: 'oauth2',
            username: 'mailer@example.com',
            tokenUrl: `${endpoint.origin}/token`,
            clientId: 'mailroom',
            clientSecret: 'first-secret',
            scope: 'smtp',
          },
        },
        from: { address: 'mailer@example.com' },
        worker: { pollIntervalMs: 100 },
        log: { level: 'silent' },
      },
    });
    const m = mailroom;
    m.start();
    let n = 0;
    const sendOne = async () => {
      await m.notify({
        kind: 'user-invite',
        recipient: { userId: `u${n}`, address: `u${n++}@example.com` },
        payload: fullPayloads['user-invite'],
      });
      await until(() => smtp.received.length === n, `mail ${n}`);
    };
    await sendOne();
    expect(endpoint.requests).toHaveLength(1);

    await m.settings.update({ set: { 'smtp.poolSize': 2, subjectPrefix: '[IDM]' } }, 'ada');
    await sendOne();
    expect(endpoint.requests).toHaveLength(1); // a new transport, the same client: the cached token

    await m.settings.update({ set: { 'smtp.auth.scope': 'mail.relay' } }, 'ada');
    await sendOne();
    expect(endpoint.requests).toHaveLength(2);
    expect(endpoint.requests[1]!.form.get('scope')).toBe('mail.relay');

    await m.settings.update({ set: { 'smtp.auth.clientSecret': 'second-secret' } }, 'ada');
    await sendOne();
    expect(endpoint.requests).toHaveLength(3);
    // Every sender's token source is counted, the first and those built for changed settings alike.
    const metric = async (name: string, labels: Record<string, string> = {}) =>
      valueOf(parseMetrics(await m.metrics.registry.metrics()), name, labels);
    expect(await metric('mailroom_oauth_token_fetches_total')).toBe(3);
    expect(await metric('mailroom_oauth_token_failures_total', { class: 'authentication' })).toBe(0);

    endpoint.answerWith(() => ({ status: 401, body: { error: 'invalid_client', error_description: 'The client secret is wrong.' } }));
    await m.settings.update({ set: { 'smtp.auth.clientSecret': 'third-secret' } }, 'ada');
    await m.notify({
      kind: 'user-invite',
      recipient: { userId: 'refused', address: 'refused@example.com' },
      payload: fullPayloads['user-invite'],
    });
    await until(
      async () => (await metric('mailroom_oauth_token_failures_total', { class: 'authentication' })) === 1,
      'the refused token request counted',
    );
    expect(await metric('mailroom_oauth_token_fetches_total')).toBe(3);
  });
});
