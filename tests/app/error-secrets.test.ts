import { createMailroom, type Mailroom } from '@mailroom/app';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { expectNothingSecretInspected } from '../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

const USER = 'mailer@idm.example.com';
const PASSWORD = 'Host-Visible-Passw0rd-8';

/** What a host logs of Mailroom's errors and health, `util.inspect` at any depth, after the server refused the password. */
describeOnSystemPostgres()('Mailroom: sendTest() and health() carry no secret after a 535', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  const schema = uniqueSchema();

  beforeAll(async () => {
    smtp = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (_a, _s, cb) => cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
    });
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 2 },
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
  });

  afterAll(async () => {
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  it('the error from sendTest()', async () => {
    const error = await mailroom.sendTest('ada@example.com').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'MailSendError', failure: 'authentication', responseCode: 535 });
    // Names the settings the way the admin writes them.
    expect((error as { hint: string }).hint).toBe(
      'Check smtp.auth.username (MAILROOM_SMTP_USERNAME) and smtp.auth.password (MAILROOM_SMTP_PASSWORD).',
    );
    expectNothingSecretInspected(error, [PASSWORD]);
  });

  it('health() once delivery stopped', async () => {
    await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: fullPayloads['user-invite'],
    });
    mailroom.start();
    await until(async () => (await mailroom.health()).delivery.state === 'stopped', 'delivery to stop on the refused login');
    const health = await mailroom.health({ verify: true });
    expect(health.ok).toBe(false);
    expectNothingSecretInspected(health, [PASSWORD]);
  });
});
