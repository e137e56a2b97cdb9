import { ClientCredentialsTokenSource } from '../../../packages/adapters/src/oauth/client-credentials-token-source';
import { createTokenSource } from '../../../packages/adapters/src/oauth/create-token-source';
import { parseMicrosoftTokenUrl } from '../../../packages/adapters/src/oauth/microsoft-token-url';
import { MsalTokenSource } from '../../../packages/adapters/src/oauth/msal-token-source';
import { TokenEndpointError } from '../../../packages/adapters/src/oauth/token-endpoint-error';
import { expectNoSecrets, textsOf } from '../../support/secrets';
import { startTokenEndpoint, type TokenEndpoint } from '../../support/token-endpoint';

const SECRET = 'msal-secret~Value.123';
const TOKEN_URL = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token';

describe('MsalTokenSource', () => {
  let endpoint: TokenEndpoint;
  const urls: string[] = [];
  const errors: unknown[] = [];
  // msal-node accepts only https authorities: its HTTP goes to the local endpoint, every URL recorded.
  const local: typeof fetch = (input, init) => {
    const url = String(input);
    urls.push(url);
    return fetch(url.replace(/^https:\/\/[^/]+/, endpoint.origin), init);
  };

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
  });

  beforeEach(() => {
    urls.length = 0;
    endpoint.requests.length = 0;
    endpoint.answerWith((_r, n) => ({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `msal-token-${n}` },
    }));
  });

  afterAll(async () => {
    await endpoint.close();
    expectNoSecrets(errors.flatMap(textsOf), [SECRET]);
  });

  const source = (tokenUrl = TOKEN_URL) => new MsalTokenSource({ tokenUrl, clientId: 'app-id', clientSecret: SECRET, fetch: local });

  const failureOf = async (p: Promise<unknown>): Promise<TokenEndpointError> => {
    const error = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as TokenEndpointError;
    errors.push(error);
    expect(error).toBeInstanceOf(TokenEndpointError);
    return error;
  };

  it('asks only the token endpoint (no discovery), with the Exchange Online scope', async () => {
    await expect(source().getToken()).resolves.toMatchObject({ accessToken: 'msal-token-1', fromCache: false });
    expect(urls.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual([TOKEN_URL]);
    const form = endpoint.requests[0]!.form;
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('app-id');
    expect(form.get('scope')).toContain('https://outlook.office365.com/.default');
  });

  it("serves msal's cache, and forceRefresh skips it", async () => {
    const tokens = source();
    await tokens.getToken();
    await expect(tokens.getToken()).resolves.toMatchObject({ accessToken: 'msal-token-1', fromCache: true });
    await expect(tokens.getToken({ forceRefresh: true })).resolves.toMatchObject({ accessToken: 'msal-token-2', fromCache: false });
    expect(endpoint.requests).toHaveLength(2);
  });

  it('keeps one request in flight however many callers ask', async () => {
    const tokens = source();
    endpoint.hold();
    const waiting = Array.from({ length: 4 }, () => tokens.getToken());
    await new Promise((resolve) => setTimeout(resolve, 50));
    endpoint.release();
    await Promise.all(waiting);
    expect(endpoint.requests).toHaveLength(1);
  });

  it("tells its observer about each request to the endpoint, not about tokens from msal's cache", async () => {
    const seen: string[] = [];
    const observer = { fetched: () => seen.push('fetched'), failed: (e: TokenEndpointError) => seen.push(`failed ${e.failure}`) };
    const tokens = new MsalTokenSource({ tokenUrl: TOKEN_URL, clientId: 'app-id', clientSecret: SECRET, fetch: local, observer });
    await tokens.getToken();
    await tokens.getToken();
    expect(seen).toEqual(['fetched']);
    endpoint.answerWith(() => ({
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
    }));
    await failureOf(tokens.getToken({ forceRefresh: true }));
    expect(seen).toEqual(['fetched', 'failed authentication']);
  });

  it("uses the US Government cloud's Exchange scope for login.microsoftonline.us", async () => {
    await source('https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/token').getToken();
    expect(endpoint.requests[0]!.form.get('scope')).toContain('https://outlook.office365.us/.default');
  });

  it('an AADSTS error keeps its code and the hint, never the secret', async () => {
    endpoint.answerWith(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description:
          'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value, not the client secret ID.',
        error_codes: [7000215],
      },
    }));
    const error = await failureOf(source().getToken());
    expect(error).toMatchObject({ failure: 'authentication', providerCode: 'AADSTS7000215' });
    expect(error.hint).toMatch(/Secret ID/);
  });

  it('an unknown tenant is a configuration error', async () => {
    endpoint.answerWith(() => ({
      status: 400,
      body: { error: 'invalid_request', error_description: "AADSTS90002: Tenant 'x' not found.", error_codes: [90002] },
    }));
    expect(await failureOf(source().getToken())).toMatchObject({ failure: 'configuration', providerCode: 'AADSTS90002' });
  });

  it('a 404 with an empty body (msal returns an empty token) is an error', async () => {
    endpoint.answerWith(() => ({ status: 404, body: {} }));
    const error = await failureOf(source().getToken());
    expect(error.failure).not.toBe('transient');
  });

  it('rejects a token URL that is not an Entra v2.0 token endpoint', () => {
    expect(() => parseMicrosoftTokenUrl('https://login.microsoftonline.com/contoso/oauth2/token')).toThrow(/v2\.0 token URL/);
  });
});

describe('createTokenSource', () => {
  it('picks msal-node for Microsoft clouds and plain client credentials for other token URLs', () => {
    const settings = { clientId: 'c', clientSecret: 's' };
    expect(createTokenSource({ ...settings, tokenUrl: TOKEN_URL })).toBeInstanceOf(MsalTokenSource);
    expect(createTokenSource({ ...settings, tokenUrl: 'https://login.chinacloudapi.cn/t/oauth2/v2.0/token' })).toBeInstanceOf(
      MsalTokenSource,
    );
    expect(
      createTokenSource({ ...settings, tokenUrl: 'https://keycloak.example.com/realms/x/protocol/openid-connect/token' }),
    ).toBeInstanceOf(ClientCredentialsTokenSource);
  });
});
