import { NodemailerMailSender } from '@mailroom/adapters';
import type { SmtpAuth } from '../../../packages/adapters/src/smtp/smtp-settings';
import { CONFIG_SETTING_NAMES } from '../../../packages/app/src/config/smtp-setting-names';
import type { MailSendError } from '@mailroom/domain';
import { aMail } from '../../support/mail-mother';
import { expectNoSecrets, textsOf } from '../../support/secrets';
import { authAttempts, startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const USER = 'mailer@mailroom.test';
const PASSWORD = 'offer-Passw0rd-7c';
const CLIENT_SECRET = 'offer-client-secret~1';

/**
 * Credentials go only to a mechanism the server advertised. The first server here is a stock Postfix
 * with `smtpd_tls_auth_only = yes`: STARTTLS offered, AUTH offered only once the connection is encrypted.
 */
describe('NodemailerMailSender: no AUTH the server did not offer', () => {
  let certs: TestCertificates;
  let tlsAuthOnly: SmtpTestServer;
  let noAuth: SmtpTestServer; // neither AUTH nor STARTTLS: a relay
  let endpoint: TokenEndpoint;
  const errors: unknown[] = [];
  const senders: NodemailerMailSender[] = [];

  beforeAll(async () => {
    certs = await makeTestCertificates();
    endpoint = await startTokenEndpoint();
    tlsAuthOnly = await startSmtpServer({
      key: certs.key,
      cert: certs.cert,
      authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
      // No AUTH in the EHLO reply (and none accepted) until STARTTLS: smtp-server's per-session switch.
      onConnect: (session, cb) => (((session as { disabledCommands?: string[] }).disabledCommands = ['AUTH']), cb()),
      onSecure: (_socket, session, cb) => (((session as { disabledCommands?: string[] }).disabledCommands = []), cb()),
      onAuth: (a, _s, cb) =>
        a.username === USER && a.password === PASSWORD
          ? cb(null, { user: USER })
          : cb(Object.assign(new Error('5.7.8 Authentication failed'), { responseCode: 535 })),
    });
    noAuth = await startSmtpServer({ disabledCommands: ['AUTH', 'STARTTLS'] });
  });

  afterEach(() => {
    for (const s of [tlsAuthOnly, noAuth]) s.commands.length = 0;
    endpoint.requests.length = 0;
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await Promise.all([tlsAuthOnly.close(), noAuth.close(), endpoint.close()]);
    expectNoSecrets(errors.flatMap(textsOf), [PASSWORD, CLIENT_SECRET, ...endpoint.issued]);
  });

  const direct = (mechanism: 'auto' | 'PLAIN' = 'auto'): SmtpAuth => ({ kind: 'direct', username: USER, password: PASSWORD, mechanism });
  const oauth2: SmtpAuth = {
    kind: 'oauth2',
    username: USER,
    tokenUrl: 'http://127.0.0.1:1/unused',
    clientId: 'app',
    clientSecret: CLIENT_SECRET,
  };

  function plainSender(server: SmtpTestServer, auth: SmtpAuth): NodemailerMailSender {
    const tokenSource =
      auth.kind === 'oauth2'
        ? {
            getToken: () =>
              fetch(`${endpoint.origin}/t`, { method: 'POST' }).then(async (r) => ({
                accessToken: ((await r.json()) as { access_token: string }).access_token,
                fromCache: false,
              })),
          }
        : undefined;
    const sender = new NodemailerMailSender(
      {
        host: '127.0.0.1',
        port: server.port,
        tls: { mode: 'none' },
        allowInsecureAuth: true,
        auth,
        timeouts: { greetingMs: 3000, socketMs: 3000 },
      },
      { names: CONFIG_SETTING_NAMES, ...(tokenSource ? { tokenSource } : {}) },
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

  it.each([['auto'], ['PLAIN']] as const)(
    'tls none, mechanism %s, server wants STARTTLS first: no AUTH is sent; the error says STARTTLS is required and which setting to change',
    async (mechanism) => {
      const error = await failureOf(plainSender(tlsAuthOnly, direct(mechanism)).send(aMail()));
      expect(authAttempts(tlsAuthOnly)).toEqual([]);
      expect(tlsAuthOnly.commands).not.toContain('STARTTLS');
      expect(error).toMatchObject({ name: 'MailSendError', failure: 'configuration', code: 'SEND.CONFIGURATION.STARTTLS_REQUIRED' });
      expect(error.message).toMatch(/offers a login only after STARTTLS/);
      expect(error.hint).toBe('The server requires STARTTLS: set smtp.tls (MAILROOM_SMTP_TLS) to "starttls".');
      // It never tried STARTTLS, so it must not say STARTTLS failed.
      expect(error.message).not.toMatch(/Could not establish TLS|did not accept STARTTLS/);
    },
  );

  it('tls none with OAuth2 against the same server: neither a token request nor an AUTH', async () => {
    const error = await failureOf(plainSender(tlsAuthOnly, oauth2).verify());
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.STARTTLS_REQUIRED' });
    expect(authAttempts(tlsAuthOnly)).toEqual([]);
    expect(endpoint.requests).toEqual([]);
  });

  it('the fix works: with starttls the same server takes the login', async () => {
    const sender = new NodemailerMailSender({
      host: '127.0.0.1',
      port: tlsAuthOnly.port,
      tls: { mode: 'starttls', ca: certs.ca, servername: certs.serverName },
      auth: direct(),
    });
    senders.push(sender);
    await expect(sender.send(aMail())).resolves.toBeDefined();
    expect(authAttempts(tlsAuthOnly)).toHaveLength(1);
  });

  it('a server offering no AUTH and no STARTTLS: no AUTH is sent, and the error says so without blaming TLS', async () => {
    const error = await failureOf(plainSender(noAuth, direct()).send(aMail()));
    expect(authAttempts(noAuth)).toEqual([]);
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.NO_AUTH' });
    expect(error.message).toMatch(/offers no login \(its EHLO reply lists no AUTH\)/);
    expect(error.hint).toMatch(/smtp\.auth\.type \(MAILROOM_SMTP_AUTH\) to "none"/);
  });
});
