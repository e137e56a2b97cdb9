import { NodemailerMailSender, type SmtpSettings } from '@mailroom/adapters';
import type { DirectAuthMechanism } from '../../../packages/adapters/src/smtp/smtp-settings';
import type { MailSendError } from '@mailroom/domain';
import { aMail } from '../../support/mail-mother';
import { CapturingSmtpLog, expectNoSecrets, textsOf } from '../../support/secrets';
import { authAttempts, startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';

const USER = 'mailer@mailroom.test';
const PASSWORD = 'S3cret-Passw0rd!';
// What PLAIN puts on the wire: must not reach a log either.
const PLAIN_BLOB = Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64');

describe('NodemailerMailSender: no auth and direct auth (PLAIN, LOGIN, CRAM-MD5, auto)', () => {
  let server: SmtpTestServer;
  let plainAndLogin: SmtpTestServer; // offers PLAIN and LOGIN only
  /** How the server answers AUTH PLAIN whatever the credentials, when set (a server advertising PLAIN that takes only LOGIN). */
  let plainReply: { code: number; text: string } | undefined;
  /** Refuse every login with 535 (the password was changed on the server). */
  let revoked = false;
  const log = new CapturingSmtpLog();
  const errors: unknown[] = [];
  const senders: NodemailerMailSender[] = [];

  beforeAll(async () => {
    server = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
      onAuth(auth, _session, callback) {
        const good = auth.method === 'CRAM-MD5' ? auth.validatePassword(PASSWORD) : auth.password === PASSWORD;
        if (plainReply && auth.method === 'PLAIN')
          return callback(Object.assign(new Error(plainReply.text), { responseCode: plainReply.code }));
        if (auth.username === USER && good && !revoked) return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
    });
    plainAndLogin = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (a, _s, cb) => cb(null, { user: a.username }),
    });
  });

  afterEach(() => {
    plainReply = undefined;
    revoked = false;
    for (const s of [server, plainAndLogin]) {
      s.logins.length = 0;
      s.commands.length = 0;
    }
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await Promise.all([server.close(), plainAndLogin.close()]);
    expectNoSecrets([...log.lines, ...errors.flatMap(textsOf)], [PASSWORD, PLAIN_BLOB]);
  });

  function senderWith(auth: SmtpSettings['auth'], port = server.port): NodemailerMailSender {
    // A local relay without TLS: the one place allowInsecureAuth is meant for. TLS has its own tests.
    const sender = new NodemailerMailSender(
      { host: '127.0.0.1', port, tls: { mode: 'none' }, allowInsecureAuth: true, auth },
      { log, logTraffic: true },
    );
    senders.push(sender);
    return sender;
  }

  const direct = (mechanism: DirectAuthMechanism, password = PASSWORD): SmtpSettings['auth'] => ({
    kind: 'direct',
    username: USER,
    password,
    mechanism,
  });

  it('sends without AUTH when auth is none', async () => {
    const mail = aMail();
    await expect(senderWith({ kind: 'none' }).send(mail)).resolves.toMatchObject({ messageId: mail.messageId });
    expect(server.logins).toEqual([]);
  });

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5'] as const)('logs in with %s when that mechanism is forced', async (mechanism) => {
    const mail = aMail();
    await senderWith(direct(mechanism)).send(mail);
    expect(server.logins).toEqual([{ method: mechanism, username: USER, ok: true }]);
    expect(server.received.some((m) => m.parsed.messageId === `<${mail.messageId}>`)).toBe(true);
  });

  it.each([
    [504, '5.5.4 Unrecognized authentication type'],
    [504, '5.7.4 Mechanism not supported'],
    [538, '5.7.11 Encryption required for requested authentication mechanism'],
  ])('auto falls back when the server refuses the mechanism itself (%s %s), and remembers the winner', async (code, text) => {
    plainReply = { code, text };
    const sender = senderWith(direct('auto'));
    await sender.verify();
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['PLAIN:false', 'LOGIN:true']);
    server.logins.length = 0;
    await sender.verify();
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['LOGIN:true']);
    await expect(sender.send(aMail())).resolves.toBeDefined();
  });

  it('auto: a wrong password is one failed login per send, not one per mechanism (535 is no reason to try another)', async () => {
    const sender = senderWith(direct('auto', 'wrong-password'));
    for (let send = 1; send <= 2; send++) {
      const error = (await sender.send(aMail()).catch((e: unknown) => e)) as MailSendError;
      errors.push(error);
      expect(error).toMatchObject({ name: 'MailSendError', failure: 'authentication', responseCode: 535, code: 'SEND.AUTHENTICATION' });
      expect(error.message).toMatch(/tried PLAIN\)/);
      // Counted on the wire: every AUTH the server received, refused before onAuth or not.
      expect(authAttempts(server)).toHaveLength(send);
    }
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['PLAIN:false', 'PLAIN:false']);
  });

  it('auto: when the remembered mechanism is refused with 535, no other mechanism is tried', async () => {
    plainReply = { code: 504, text: '5.5.4 Unrecognized authentication type' };
    const sender = senderWith(direct('auto'));
    await sender.verify(); // LOGIN wins and is remembered
    server.logins.length = 0;
    server.commands.length = 0;
    plainReply = undefined;
    revoked = true; // the password was changed on the server
    errors.push(await sender.verify().catch((e: unknown) => e));
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['LOGIN:false']);
    expect(authAttempts(server)).toHaveLength(1);
  });

  it('a forced mechanism the server does not offer is never sent: a configuration error naming the setting', async () => {
    const error = (await senderWith(direct('CRAM-MD5'), plainAndLogin.port)
      .send(aMail())
      .catch((e: unknown) => e)) as MailSendError;
    errors.push(error);
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.AUTH_MECHANISM' });
    expect(error.message).toMatch(/offers PLAIN, LOGIN, not CRAM-MD5 \(auth\.mechanism\)/);
    expect(error.hint).toMatch(/Set auth\.mechanism to "auto" or one of: PLAIN, LOGIN\./);
    expect(authAttempts(plainAndLogin)).toEqual([]);
  });

  it('a wrong password on a forced mechanism is an authentication error', async () => {
    const error = (await senderWith(direct('PLAIN', 'wrong-password'))
      .send(aMail())
      .catch((e: unknown) => e)) as MailSendError;
    errors.push(error);
    expect(error).toMatchObject({ failure: 'authentication', responseCode: 535, code: 'SEND.AUTHENTICATION' });
    expect(authAttempts(server)).toHaveLength(1);
  });

  it('the log shows the AUTH commands masked', () => {
    expect(log.lines.some((l) => /AUTH PLAIN/.test(l))).toBe(true);
  });
});
