import { AuthError, ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { redact } from '../secrets/redact';
import { FetchNetworkClient } from './fetch-network-client';
import { msalMetadataFor, parseMicrosoftTokenUrl } from './microsoft-token-url';
import { TokenEndpointError } from './token-endpoint-error';
import { tokenRefused } from './token-error-answer';
import { observedRequest, type AccessToken, type TokenObserver, type TokenRequest, type TokenSource } from './token-source';
import type { TokenSettingNames } from './token-setting-names';

export interface MsalTokenSourceOptions {
  /** `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`, or the same on another Microsoft cloud. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default: Exchange Online's `.default` scope for the token URL's cloud. */
  readonly scope?: string;
  /** How msal's HTTP calls go out (a proxy; a local endpoint in tests). Default: global fetch. */
  readonly fetch?: typeof fetch;
  /** How error hints name the settings (default: these options' names under `auth.`). */
  readonly names?: Partial<TokenSettingNames>;
  /** Told about each request to the token endpoint (metrics); a token msal serves from its cache is none. */
  readonly observer?: TokenObserver;
}

/**
 * Client-credentials tokens from Microsoft Entra ID through msal-node: its cache and its early
 * refresh (5 minutes before expiry), one request in flight however many callers ask.
 */
export class MsalTokenSource implements TokenSource {
  private readonly app: ConfidentialClientApplication;
  private readonly tokenUrl: string;
  private readonly scope: string;
  private freshFlight: Promise<AccessToken> | undefined;
  private anyFlight: Promise<AccessToken> | undefined;

  constructor(private readonly options: MsalTokenSourceOptions) {
    const url = parseMicrosoftTokenUrl(options.tokenUrl);
    this.tokenUrl = url.tokenEndpoint;
    this.scope = options.scope ?? url.defaultScope;
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: url.authority,
        knownAuthorities: [url.host],
        ...msalMetadataFor(url),
      },
      system: {
        networkClient: new FetchNetworkClient(options.fetch ?? globalThis.fetch),
        loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
      },
    });
  }

  async getToken(request: TokenRequest = {}): Promise<AccessToken> {
    // One request in flight however many callers ask. A forced refresh joins only a request that
    // bypasses the cache too; an ordinary call joins whatever is under way.
    const forced = request.forceRefresh === true;
    const joinable = forced ? this.freshFlight : (this.freshFlight ?? this.anyFlight);
    if (joinable) return joinable;
    const attempt = observedRequest(this.acquire(forced), this.options.observer, (token) => !token.fromCache).finally(() => {
      if (this.freshFlight === attempt) this.freshFlight = undefined;
      if (this.anyFlight === attempt) this.anyFlight = undefined;
    });
    if (forced) this.freshFlight = attempt;
    else this.anyFlight = attempt;
    return attempt;
  }

  private async acquire(forceRefresh: boolean): Promise<AccessToken> {
    let result;
    try {
      result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache: forceRefresh });
    } catch (error) {
      throw this.translate(error);
    }
    // msal-node turns an endpoint answering 404 `{}` into a result with an empty token instead of an error.
    if (!result?.accessToken) {
      throw new TokenEndpointError(
        'OAUTH.TOKEN_EMPTY',
        'configuration',
        `Microsoft Entra returned no access token from ${this.tokenUrl}; check the tenant in the token URL.`,
      );
    }
    const token: AccessToken = { accessToken: result.accessToken, fromCache: result.fromCache };
    return result.expiresOn ? { ...token, expiresAt: result.expiresOn } : token;
  }

  private translate(error: unknown): TokenEndpointError {
    if (error instanceof TokenEndpointError) return error;
    const secret = this.options.clientSecret;
    if (error instanceof AuthError) {
      const status = (error as AuthError & { status?: number }).status;
      // msal reports unreachable endpoints with its own codes and no HTTP status.
      if (status === undefined && !/AADSTS\d+/.test(error.errorMessage)) {
        return new TokenEndpointError(
          'OAUTH.TOKEN_UNREACHABLE',
          'transient',
          `Could not get a token from ${this.tokenUrl} (${redact(`${error.errorCode}: ${error.errorMessage}`, [secret])}); Mailroom will try again.`,
          {
            providerCode: error.errorCode,
            hint: 'Check that login.microsoftonline.com is reachable from this host (DNS, proxy, firewall).',
          },
        );
      }
      return tokenRefused({
        tokenUrl: this.tokenUrl,
        status,
        error: error.errorCode,
        description: error.errorMessage,
        secret,
        names: this.options.names,
      });
    }
    const message = redact(error instanceof Error ? error.message : String(error), [secret]);
    return new TokenEndpointError(
      'OAUTH.TOKEN_UNREACHABLE',
      'transient',
      `Could not get a token from ${this.tokenUrl} (${message}); Mailroom will try again.`,
    );
  }
}
