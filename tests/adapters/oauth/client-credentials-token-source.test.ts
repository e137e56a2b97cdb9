import { createServer, type AddressInfo } from 'node:net';
import { ManualClock } from '@mailroom/adapters';
import { ClientCredentialsTokenSource } from '../../../packages/adapters/src/oauth/client-credentials-token-source';
import { TokenEndpointError } from '../../../packages/adapters/src/oauth/token-endpoint-error';
import { expectNoSecrets, textsOf } from '../../support/secrets';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const SECRET = 'cc-secret:with/odd+chars';

/** A port nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ClientCredentialsTokenSource', () => {
  let endpoint: TokenEndpoint;
  const errors: unknown[] = [];

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
  });

  beforeEach(() => {
    endpoint.requests.length = 0;
    endpoint.answerWith((_r, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `cc-token-${n}` } }));
  });

  afterAll(async () => {
    await endpoint.close();
    expectNoSecrets(errors.flatMap(textsOf), [SECRET]);
  });

  const source = (overrides: Partial<ConstructorParameters<typeof ClientCredentialsTokenSource>[0]> = {}) =>
    new ClientCredentialsTokenSource({
      tokenUrl: `${endpoint.origin}/token`,
      clientId: 'app id',
      clientSecret: SECRET,
      scope: 'smtp',
      ...overrides,
    });

  const failureOf = async (p: Promise<unknown>): Promise<TokenEndpointError> => {
    const error = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as TokenEndpointError;
    errors.push(error);
    expect(error).toBeInstanceOf(TokenEndpointError);
    return error;
  };

  it('authenticates with client_secret_basic by default (RFC 6749 §2.3.1 encoding)', async () => {
    const token = await source().getToken();
    expect(token).toMatchObject({ accessToken: 'cc-token-1', fromCache: false });
    const [request] = endpoint.requests;
    const expected = Buffer.from(`${encodeURIComponent('app id')}:${encodeURIComponent(SECRET)}`).toString('base64');
    expect(request!.headers.authorization).toBe(`Basic ${expected}`);
    expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'client_credentials', scope: 'smtp' });
  });

  it('sends id and secret as form fields with client_secret_post', async () => {
    await source({ clientAuth: 'post' }).getToken();
    const [request] = endpoint.requests;
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.form.get('client_id')).toBe('app id');
    expect(request!.form.get('client_secret')).toBe(SECRET);
  });

  it('serves the cached token until the refresh margin, then fetches a new one', async () => {
    const clock = new ManualClock();
    const tokens = source({ clock, refreshMarginMs: 60_000 });
    await tokens.getToken();
    clock.advance(3600_000 - 61_000);
    await expect(tokens.getToken()).resolves.toMatchObject({ accessToken: 'cc-token-1', fromCache: true });
    clock.advance(2_000);
    await expect(tokens.getToken()).resolves.toMatchObject({ accessToken: 'cc-token-2', fromCache: false });
    expect(endpoint.requests).toHaveLength(2);
  });

  it('forceRefresh bypasses the cache', async () => {
    const tokens = source();
    await tokens.getToken();
    await expect(tokens.getToken({ forceRefresh: true })).resolves.toMatchObject({ accessToken: 'cc-token-2', fromCache: false });
  });

  it('keeps one request in flight however many callers ask', async () => {
    const tokens = source();
    endpoint.hold();
    const waiting = Array.from({ length: 5 }, (_, i) => tokens.getToken({ forceRefresh: i % 2 === 0 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    endpoint.release();
    const results = await Promise.all(waiting);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['cc-token-1']));
    expect(endpoint.requests).toHaveLength(1);
  });

  it('tells its observer about each request to the endpoint: one fetch for many callers, none from the cache, and each failure', async () => {
    const seen: string[] = [];
    const tokens = source({ observer: { fetched: () => seen.push('fetched'), failed: (e) => seen.push(`failed ${e.code}`) } });
    await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    await tokens.getToken();
    expect(seen).toEqual(['fetched']);
    endpoint.answerWith(() => ({ status: 401, body: { error: 'invalid_client' } }));
    await failureOf(tokens.getToken({ forceRefresh: true }));
    expect(seen).toEqual(['fetched', 'failed OAUTH.TOKEN_REFUSED']);
  });

  it.each([[{ token_type: 'Bearer', expires_in: 3600 }], [{ token_type: 'Bearer', access_token: '' }]])(
    'an answer without an access token is an error: %j',
    async (body) => {
      endpoint.answerWith(() => ({ status: 200, body }));
      expect(await failureOf(source().getToken())).toMatchObject({ code: 'OAUTH.TOKEN_EMPTY', failure: 'configuration' });
    },
  );

  it('an error answer keeps the provider code and hint and drops a secret the provider echoed', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `AADSTS7000222: The provided client secret keys are expired (${SECRET})` },
    }));
    const error = await failureOf(source().getToken());
    expect(error).toMatchObject({ code: 'OAUTH.TOKEN_REFUSED', failure: 'authentication', providerCode: 'AADSTS7000222', status: 401 });
    expect(error.hint).toMatch(/expired/);
  });

  it('invalid_scope is a configuration error keeping the RFC 6749 code', async () => {
    endpoint.answerWith(() => ({ status: 400, body: { error: 'invalid_scope' } }));
    expect(await failureOf(source().getToken())).toMatchObject({ failure: 'configuration', providerCode: 'invalid_scope' });
  });

  it('a 503 or an unreachable endpoint is transient', async () => {
    endpoint.answerWith(() => ({ status: 503, body: 'down' }));
    expect(await failureOf(source().getToken())).toMatchObject({ code: 'OAUTH.TOKEN_UNREACHABLE', failure: 'transient' });
    const unreachable = await failureOf(source({ tokenUrl: `http://127.0.0.1:${await closedPort()}/token` }).getToken());
    expect(unreachable).toMatchObject({ code: 'OAUTH.TOKEN_UNREACHABLE', failure: 'transient' });
    expect(unreachable.message).toMatch(/ECONNREFUSED/);
  });
});
