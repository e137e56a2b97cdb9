import { NodemailerMailSender } from '@mailroom/adapters';
import { ClientCredentialsTokenSource } from '../../../packages/adapters/src/oauth/client-credentials-token-source';
import type { SmtpAuth } from '../../../packages/adapters/src/smtp/smtp-settings';
import { MailSendError } from '@mailroom/domain';
import { aMail } from '../../support/mail-mother';
import { expectNothingSecretInspected } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const USER = 'mailer@mailroom.test';
const PASSWORD = 'Inspect-Passw0rd-31';
const CLIENT_SECRET = 'inspect-client-secret~9';

/**
 * What a host's logger prints of an error — `util.inspect` at any depth — holds no secret. nodemailer keeps
 * the last command sent on its errors (`command`, and the SASL reply's `command`): after a failed AUTH that is
 * the base64 of the credentials, so the adapter must not pass its errors on as they are.
 */
describe('NodemailerMailSender: errors carry no secret at any depth', () => {
  let passwords: SmtpTestServer;
  let xoauth2: SmtpTestServer;
  let endpoint: TokenEndpoint;
  const senders: NodemailerMailSender[] = [];

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    const refuse = (text: string) => Object.assign(new Error(text), { responseCode: 535 });
    passwords = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
      onAuth: (_a, _s, cb) => cb(refuse('5.7.8 Authentication credentials invalid')),
    });
    xoauth2 = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      onAuth: (_a, _s, cb) => cb(refuse('5.7.3 Authentication unsuccessful')),
    });
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await Promise.all([passwords.close(), xoauth2.close(), endpoint.close()]);
  });

  function sender(server: SmtpTestServer, auth: SmtpAuth): NodemailerMailSender {
    const tokenSource =
      auth.kind === 'oauth2'
        ? new ClientCredentialsTokenSource({ tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret })
        : undefined;
    const s = new NodemailerMailSender(
      {
        host: '127.0.0.1',
        port: server.port,
        tls: { mode: 'none' },
        allowInsecureAuth: true,
        auth,
        timeouts: { greetingMs: 3000, socketMs: 3000 },
      },
      tokenSource ? { tokenSource } : {},
    );
    senders.push(s);
    return s;
  }

  async function failures(s: NodemailerMailSender): Promise<MailSendError[]> {
    const sent = await s.send(aMail()).then(
      () => undefined,
      (e: unknown) => e,
    );
    const verified = await s.verify().then(
      () => undefined,
      (e: unknown) => e,
    );
    for (const e of [sent, verified]) expect(e).toBeInstanceOf(MailSendError);
    return [sent, verified] as MailSendError[];
  }

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5'] as const)(
    'direct %s answered 535: no password, no base64 of the credentials',
    async (mechanism) => {
      for (const error of await failures(sender(passwords, { kind: 'direct', username: USER, password: PASSWORD, mechanism }))) {
        expect(error).toMatchObject({ failure: 'authentication', responseCode: 535 });
        const text = expectNothingSecretInspected(error, [PASSWORD]);
        // The cause is still there to read: the library's codes and the server's reply.
        expect(text).toMatch(/SmtpLibraryError/);
        expect(text).toMatch(/535 5\.7\.8/);
      }
    },
  );

  it('direct auto answered 535: the same', async () => {
    for (const error of await failures(sender(passwords, { kind: 'direct', username: USER, password: PASSWORD })))
      expectNothingSecretInspected(error, [PASSWORD]);
  });

  it('XOAUTH2 answered 535: no token, no base64 of the XOAUTH2 string, no client secret', async () => {
    endpoint.answerWith((_r, n) => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: `inspected-token-${n}-${Math.random().toString(36).slice(2)}` },
    }));
    const auth: SmtpAuth = {
      kind: 'oauth2',
      username: USER,
      tokenUrl: `${endpoint.origin}/token`,
      clientId: 'app',
      clientSecret: CLIENT_SECRET,
    };
    for (const error of await failures(sender(xoauth2, auth))) {
      expect(error).toMatchObject({ failure: 'authentication', responseCode: 535 });
      expectNothingSecretInspected(error, [CLIENT_SECRET, ...endpoint.issued]);
    }
  });

  it('the token endpoint refusing (and echoing the secret): no client secret', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `Invalid client secret ${CLIENT_SECRET} for app` },
    }));
    const auth: SmtpAuth = {
      kind: 'oauth2',
      username: USER,
      tokenUrl: `${endpoint.origin}/token`,
      clientId: 'app',
      clientSecret: CLIENT_SECRET,
    };
    for (const error of await failures(sender(xoauth2, auth))) {
      expect(error).toMatchObject({ code: 'SEND.AUTHENTICATION.TOKEN' });
      expectNothingSecretInspected(error, [CLIENT_SECRET]);
    }
  });
});
