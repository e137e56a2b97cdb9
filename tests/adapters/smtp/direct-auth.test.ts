import { NodemailerMailSender, type DirectAuthMechanism, type SmtpSettings } from '@mailroom/adapters';
import type { MailSendError } from '@mailroom/domain';
import { aMail } from '../../support/mail-mother';
import { CapturingSmtpLog, expectNoSecrets, textsOf } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';

const USER = 'mailer@mailroom.test';
const PASSWORD = 'S3cret-Passw0rd!';
// What PLAIN puts on the wire: must not reach a log either.
const PLAIN_BLOB = Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64');

describe('NodemailerMailSender: no auth and direct auth (PLAIN, LOGIN, CRAM-MD5, auto)', () => {
  let server: SmtpTestServer;
  let rejectPlain = false;
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
        if (auth.username === USER && good && !(rejectPlain && auth.method === 'PLAIN')) return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
    });
  });

  afterEach(() => {
    rejectPlain = false;
    server.logins.length = 0;
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await server.close();
    expectNoSecrets([...log.lines, ...errors.flatMap(textsOf)], [PASSWORD, PLAIN_BLOB]);
  });

  function senderWith(auth: SmtpSettings['auth']): NodemailerMailSender {
    // A local relay without TLS: the one place allowInsecureAuth is meant for. TLS has its own tests.
    const sender = new NodemailerMailSender(
      { host: '127.0.0.1', port: server.port, tls: { mode: 'none' }, allowInsecureAuth: true, auth },
      { log, logTraffic: true },
    );
    senders.push(sender);
    return sender;
  }

  const direct = (mechanism: DirectAuthMechanism, password = PASSWORD): SmtpSettings['auth'] => ({ kind: 'direct', username: USER, password, mechanism });

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

  it('auto falls back when the server advertises PLAIN but rejects it, and remembers the winner', async () => {
    rejectPlain = true;
    const sender = senderWith(direct('auto'));
    await sender.verify();
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['PLAIN:false', 'LOGIN:true']);
    server.logins.length = 0;
    await sender.verify();
    expect(server.logins.map((l) => `${l.method}:${l.ok}`)).toEqual(['LOGIN:true']);
    await expect(sender.send(aMail())).resolves.toBeDefined();
  });

  it('auto reports an authentication error with the reply once every mechanism failed', async () => {
    const error = (await senderWith(direct('auto', 'wrong-password')).verify().catch((e: unknown) => e)) as MailSendError;
    errors.push(error);
    expect(server.logins.map((l) => l.method)).toEqual(['PLAIN', 'LOGIN', 'CRAM-MD5']);
    expect(error).toMatchObject({ name: 'MailSendError', failure: 'authentication', responseCode: 535 });
    expect(error.message).toMatch(/tried PLAIN, LOGIN, CRAM-MD5/);
  });

  it('a wrong password on a forced mechanism is an authentication error', async () => {
    const error = (await senderWith(direct('PLAIN', 'wrong-password')).send(aMail()).catch((e: unknown) => e)) as MailSendError;
    errors.push(error);
    expect(error).toMatchObject({ failure: 'authentication', responseCode: 535, code: 'SEND.AUTHENTICATION' });
  });

  it('the log shows the AUTH commands masked', () => {
    expect(log.lines.some((l) => /AUTH PLAIN/.test(l))).toBe(true);
  });
});
