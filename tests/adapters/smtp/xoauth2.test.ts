import { ManualClock, NodemailerMailSender } from '@mailroom/adapters';
import { ClientCredentialsTokenSource } from '../../../packages/adapters/src/oauth/client-credentials-token-source';
import { MsalTokenSource } from '../../../packages/adapters/src/oauth/msal-token-source';
import type { TokenSource } from '../../../packages/adapters/src/oauth/token-source';
import { CONFIG_SETTING_NAMES } from '../../../packages/app/src/config/smtp-setting-names';
import type { MailSendError } from '@mailroom/domain';
import { aMail } from '../../support/mail-mother';
import { CapturingSmtpLog, expectNoSecrets, textsOf } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const MAILBOX = 'notifications@mailroom.test';
const CLIENT_SECRET = 'client-secret-Value~42';
const MICROSOFT_TOKEN_URL = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token';

describe('NodemailerMailSender: OAuth2 (XOAUTH2)', () => {
  let server: SmtpTestServer;
  let endpoint: TokenEndpoint;
  /** Tokens the SMTP server accepts; tests revoke them. */
  const valid = new Set<string>();
  let challengeOnRejection = false;
  const log = new CapturingSmtpLog();
  const errors: unknown[] = [];
  const senders: NodemailerMailSender[] = [];

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    server = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      onAuth(auth, _session, callback) {
        if (auth.username === MAILBOX && auth.accessToken !== undefined && valid.has(auth.accessToken))
          return callback(null, { user: MAILBOX });
        // Gmail and Dovecot first answer 334 with a JSON error; Exchange answers 535 at once.
        if (challengeOnRejection) return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
        return callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
      },
    });
  });

  beforeEach(() => {
    // Whatever the endpoint issues is valid unless a test says otherwise.
    endpoint.answerWith((_r, n) => {
      const token = `token-${n}-${Math.random().toString(36).slice(2)}`;
      valid.add(token);
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token } };
    });
    endpoint.requests.length = 0;
    server.logins.length = 0;
    challengeOnRejection = false;
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await Promise.all([server.close(), endpoint.close()]);
    expectNoSecrets([...log.lines, ...errors.flatMap(textsOf)], [CLIENT_SECRET, ...endpoint.issued]);
  });

  function senderWith(tokenSource?: TokenSource, tokenUrl = `${endpoint.origin}/oauth/token`): NodemailerMailSender {
    const sender = new NodemailerMailSender(
      {
        host: '127.0.0.1',
        port: server.port,
        tls: { mode: 'none' },
        allowInsecureAuth: true,
        auth: { kind: 'oauth2', username: MAILBOX, tokenUrl, clientId: 'mailroom-app', clientSecret: CLIENT_SECRET, scope: 'smtp.send' },
        timeouts: { socketMs: 5000, greetingMs: 5000 },
      },
      { tokenSource, log, logTraffic: true },
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

  it('sends with a token from a generic RFC 6749 endpoint, cached across connections', async () => {
    const sender = senderWith();
    await sender.send(aMail());
    await sender.verify(); // a second connection, a second AUTH
    await sender.verify();
    expect(server.logins.map((l) => `${l.method}:${l.username}:${l.ok}`)).toEqual(Array(3).fill(`XOAUTH2:${MAILBOX}:true`));
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]!.form.get('grant_type')).toBe('client_credentials');
  });

  it('fetches a new token once the cached one has expired', async () => {
    const clock = new ManualClock();
    const tokens = new ClientCredentialsTokenSource({
      tokenUrl: `${endpoint.origin}/oauth/token`,
      clientId: 'mailroom-app',
      clientSecret: CLIENT_SECRET,
      clock,
    });
    const sender = senderWith(tokens);
    await sender.verify();
    clock.advance(3600_000);
    await sender.verify();
    expect(endpoint.requests).toHaveLength(2);
    expect(server.logins.every((l) => l.ok)).toBe(true);
  });

  it('on 535 with a cached token, fetches a fresh one and retries once', async () => {
    const sender = senderWith();
    await sender.verify();
    valid.clear(); // the cached token is revoked; the next one issued is valid
    await sender.verify();
    expect(server.logins.map((l) => l.ok)).toEqual([true, false, true]);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('a second 535 is an authentication error, with the reply and an Exchange hint', async () => {
    const sender = senderWith();
    await sender.verify();
    valid.clear();
    endpoint.answerWith(() => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: `refused-${Math.random()}` },
    }));
    const error = await failureOf(sender.verify());
    expect(error).toMatchObject({ failure: 'authentication', responseCode: 535, enhancedCode: '5.7.3' });
    expect(error.hint).toMatch(/SendAsApp/);
    expect(server.logins.map((l) => l.ok)).toEqual([true, false, false]);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('a fresh token refused is not retried', async () => {
    endpoint.answerWith(() => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: `refused-${Math.random()}` },
    }));
    const error = await failureOf(senderWith().verify());
    expect(error.failure).toBe('authentication');
    expect(server.logins).toHaveLength(1);
  });

  it('answers a 334 error challenge with an empty line and gets the final 535 instead of hanging', async () => {
    challengeOnRejection = true;
    endpoint.answerWith(() => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: `refused-${Math.random()}` },
    }));
    const started = Date.now();
    const error = await failureOf(senderWith().verify());
    expect(error).toMatchObject({ failure: 'authentication', responseCode: 535 });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a token endpoint error stops with the provider code and hint, never the secret', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided (${CLIENT_SECRET}).`,
        error_codes: [7000215],
      },
    }));
    const error = await failureOf(senderWith().send(aMail()));
    expect(error).toMatchObject({ failure: 'authentication', code: 'SEND.AUTHENTICATION.TOKEN' });
    expect(error.message).toMatch(/AADSTS7000215/);
    expect(error.hint).toMatch(/Secret ID/);
    expect(server.logins).toHaveLength(0);
  });

  it('invalid_client from a generic endpoint names the settings to check: smtp.auth.clientId and smtp.auth.clientSecret', async () => {
    endpoint.answerWith(() => ({ status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }));
    const sender = new NodemailerMailSender(
      {
        host: '127.0.0.1',
        port: server.port,
        tls: { mode: 'none' },
        allowInsecureAuth: true,
        auth: {
          kind: 'oauth2',
          username: MAILBOX,
          tokenUrl: `${endpoint.origin}/oauth/token`,
          clientId: 'mailroom-app',
          clientSecret: CLIENT_SECRET,
        },
      },
      { names: CONFIG_SETTING_NAMES },
    );
    senders.push(sender);
    const error = await failureOf(sender.send(aMail()));
    expect(error).toMatchObject({ failure: 'authentication', code: 'SEND.AUTHENTICATION.TOKEN' });
    expect(error.hint).toBe(
      'Check smtp.auth.clientId (MAILROOM_OAUTH_CLIENT_ID) and smtp.auth.clientSecret (MAILROOM_OAUTH_CLIENT_SECRET); the secret may have expired.',
    );
    expect(error.message).not.toMatch(/client id and client secret/);
  });

  it('sends with a token from msal-node for a Microsoft token URL, with no call leaving the machine', async () => {
    const urls: string[] = [];
    // msal-node insists on https authorities: route its HTTP to the local endpoint and record every URL.
    const local: typeof fetch = (input, init) => {
      const url = String(input);
      urls.push(url);
      return fetch(url.replace('https://login.microsoftonline.com', endpoint.origin), init);
    };
    const tokens = new MsalTokenSource({
      tokenUrl: MICROSOFT_TOKEN_URL,
      clientId: 'mailroom-app',
      clientSecret: CLIENT_SECRET,
      fetch: local,
    });
    const sender = senderWith(tokens, MICROSOFT_TOKEN_URL);
    await sender.send(aMail());
    await sender.verify();
    expect(server.logins.map((l) => l.ok)).toEqual([true, true]);
    expect(urls.map((u) => new URL(u).pathname)).toEqual(['/contoso.onmicrosoft.com/oauth2/v2.0/token']);
    expect(endpoint.requests[0]!.form.get('scope')).toContain('https://outlook.office365.com/.default');
  });
});
