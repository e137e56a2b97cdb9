import { NodemailerMailSender, type SmtpSettings } from '@mailroom/adapters';
import type { SmtpTlsSettings } from '../../../packages/adapters/src/smtp/smtp-settings';
import { CONFIG_SETTING_NAMES } from '../../../packages/app/src/config/smtp-setting-names';
import type { MailSendError } from '@mailroom/domain';
import type { SMTPServerOptions } from 'smtp-server';
import { aMail } from '../../support/mail-mother';
import { CapturingSmtpLog, expectNoSecrets, textsOf } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates';

const USER = 'mailer@mailroom.test';
const PASSWORD = 'tls-Passw0rd-9f';

describe('NodemailerMailSender: TLS modes and certificates', () => {
  let certs: TestCertificates;
  let starttls: SmtpTestServer;
  let implicit: SmtpTestServer;
  let plainOnly: SmtpTestServer;
  const log = new CapturingSmtpLog();
  const errors: unknown[] = [];
  const senders: NodemailerMailSender[] = [];
  let connections = 0;

  beforeAll(async () => {
    certs = await makeTestCertificates();
    const auth: SMTPServerOptions = {
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (a, _s, cb) =>
        a.username === USER && a.password === PASSWORD ? cb(null, { user: USER }) : cb(new Error('Invalid credentials')),
    };
    [starttls, implicit, plainOnly] = await Promise.all([
      startSmtpServer({ key: certs.key, cert: certs.cert, ...auth }),
      startSmtpServer({ secure: true, key: certs.key, cert: certs.cert, ...auth }),
      startSmtpServer({ disabledCommands: ['STARTTLS'], onConnect: (_s, cb) => (connections++, cb()) }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await Promise.all([starttls?.close(), implicit?.close(), plainOnly?.close()]);
    expectNoSecrets([...log.lines, ...errors.flatMap(textsOf)], [PASSWORD]);
  });

  function senderFor(
    server: SmtpTestServer,
    tls: SmtpTlsSettings,
    auth: SmtpSettings['auth'] = { kind: 'direct', username: USER, password: PASSWORD },
  ) {
    const sender = new NodemailerMailSender(
      { host: '127.0.0.1', port: server.port, tls, auth, timeouts: { greetingMs: 3000, socketMs: 3000 } },
      { log, logTraffic: true },
    );
    senders.push(sender);
    return sender;
  }

  const failureOf = async (p: Promise<unknown>): Promise<MailSendError> => {
    const error = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as MailSendError;
    errors.push(error);
    return error;
  };

  it('sends over STARTTLS with the CA given, authenticating with a password', async () => {
    const mail = aMail();
    await expect(senderFor(starttls, { mode: 'starttls', ca: certs.ca, servername: certs.serverName }).send(mail)).resolves.toMatchObject({
      messageId: mail.messageId,
    });
    expect(starttls.logins).toEqual([{ method: 'PLAIN', username: USER, ok: true }]);
  });

  it('sends over implicit TLS with the CA given', async () => {
    const mail = aMail();
    await expect(senderFor(implicit, { mode: 'implicit', ca: [certs.ca], servername: certs.serverName }).send(mail)).resolves.toMatchObject(
      { messageId: mail.messageId },
    );
    expect(implicit.received.map((m) => m.parsed.messageId)).toContain(`<${mail.messageId}>`);
  });

  it.each([
    ['STARTTLS', () => starttls, 'starttls'],
    ['implicit TLS', () => implicit, 'implicit'],
  ] as const)(
    '%s with a CA that did not sign the certificate is a configuration error naming the certificate',
    async (_name, server, mode) => {
      const error = await failureOf(senderFor(server(), { mode, ca: certs.otherCa, servername: certs.serverName }).verify());
      expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
      expect(error.message).toMatch(/certificate is not trusted/);
      expect(error.hint).toMatch(/tls\.ca/);
    },
  );

  it('an untrusted certificate names the setting the admin edits, as the host names it: smtp.caFile (MAILROOM_SMTP_CA_FILE)', async () => {
    const sender = new NodemailerMailSender(
      {
        host: '127.0.0.1',
        port: starttls.port,
        tls: { mode: 'starttls', servername: certs.serverName },
        auth: { kind: 'direct', username: USER, password: PASSWORD },
      },
      { names: CONFIG_SETTING_NAMES },
    );
    senders.push(sender);
    const error = await failureOf(sender.verify());
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
    expect(error.hint).toMatch(/in smtp\.caFile \(MAILROOM_SMTP_CA_FILE\)\.$/);
    expect(error.message).not.toMatch(/tls\.ca\b/);
  });

  it('a host name the certificate does not list is a configuration error naming the mismatch', async () => {
    const error = await failureOf(senderFor(starttls, { mode: 'starttls', ca: certs.ca, servername: 'smtp.elsewhere.test' }).verify());
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
    expect(error.message).toMatch(/certificate does not match the host name/);
  });

  it('implicit TLS against a STARTTLS port is a configuration error about the TLS mode', async () => {
    const error = await failureOf(senderFor(starttls, { mode: 'implicit', ca: certs.ca, servername: certs.serverName }).verify());
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
    expect(error.hint).toMatch(/465/);
  });

  it('required STARTTLS against a server without it is a configuration error', async () => {
    const error = await failureOf(senderFor(plainOnly, { mode: 'starttls' }, { kind: 'none' }).verify());
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
    expect(error.message).toMatch(/STARTTLS/);
  });

  it('tls none with a password is refused before connecting', async () => {
    const before = connections;
    const sender = senderFor(plainOnly, { mode: 'none' });
    const error = await failureOf(sender.send(aMail()));
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.INSECURE_AUTH' });
    await expect(sender.verify()).rejects.toBe(error);
    expect(connections).toBe(before);
  });
});
