import type { Clock } from '@mailroom/domain';
import { redact } from '../secrets/redact';
import { TokenEndpointError } from './token-endpoint-error';
import { tokenRefused } from './token-error-answer';
import { observedRequest, type AccessToken, type TokenObserver, type TokenRequest, type TokenSource } from './token-source';
import type { TokenSettingNames } from './token-setting-names';

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  /** RFC 6749 §2.3.1: HTTP Basic (`client_secret_basic`, default) or form fields (`client_secret_post`). */
  readonly clientAuth?: 'basic' | 'post';
  /** Refresh this long before the token expires. Default 60 s (never more than half the token's lifetime). */
  readonly refreshMarginMs?: number;
  /** Default 15 s. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** How error hints name the settings (default: these options' names under `auth.`). */
  readonly names?: Partial<TokenSettingNames>;
  /** Told about each request to the token endpoint (metrics). */
  readonly observer?: TokenObserver;
}

interface CachedToken {
  readonly accessToken: string;
  readonly expiresAt?: Date;
  /** Epoch ms after which the cache is not used. */
  readonly refreshAt: number;
}

const DEFAULT_MARGIN_MS = 60_000;
// RFC 6749 makes expires_in optional; without it, keep a token this long.
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/**
 * RFC 6749 client credentials against any token endpoint (Keycloak, Okta, Google, an in-house server).
 * Cached, refreshed before expiry with a margin, one request in flight however many callers ask.
 */
export class ClientCredentialsTokenSource implements TokenSource {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly clock: Clock;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async getToken(request: TokenRequest = {}): Promise<AccessToken> {
    const cached = this.cached;
    if (!request.forceRefresh && cached && this.clock.now().getTime() < cached.refreshAt) {
      return { accessToken: cached.accessToken, expiresAt: cached.expiresAt, fromCache: true };
    }
    // A request already in flight yields a fresh token: forced or not, join it.
    this.inFlight ??= observedRequest(this.request(), this.options.observer).finally(() => {
      this.inFlight = undefined;
    });
    const fresh = await this.inFlight;
    return { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt, fromCache: false };
  }

  private async request(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.options;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (this.options.clientAuth === 'post') {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    } else {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic.
      const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }

    let response: Response;
    try {
      response = await this.fetch(tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (cause) {
      const why = redact(describeFailure(cause), [clientSecret]);
      throw new TokenEndpointError(
        'OAUTH.TOKEN_UNREACHABLE',
        'transient',
        `Could not reach the token endpoint ${tokenUrl} (${why}); Mailroom will try again.`,
        {
          hint: 'Check that the token URL is reachable from this host (DNS, proxy, firewall).',
        },
      );
    }

    const body = await readJson(response);
    if (!response.ok) {
      throw tokenRefused({
        tokenUrl,
        status: response.status,
        error: stringOf(body?.error),
        description: stringOf(body?.error_description),
        secret: clientSecret,
        names: this.options.names,
      });
    }
    const accessToken = stringOf(body?.access_token);
    if (!accessToken) {
      throw new TokenEndpointError(
        'OAUTH.TOKEN_EMPTY',
        'configuration',
        `The token endpoint ${tokenUrl} answered ${response.status} without an access_token; check that the token URL is the provider's token endpoint.`,
        {
          status: response.status,
        },
      );
    }
    const lifetimeMs = expiresInMs(body?.expires_in) ?? DEFAULT_LIFETIME_MS;
    const margin = Math.min(this.options.refreshMarginMs ?? DEFAULT_MARGIN_MS, lifetimeMs / 2);
    const now = this.clock.now().getTime();
    const token: CachedToken = { accessToken, expiresAt: new Date(now + lifetimeMs), refreshAt: now + lifetimeMs - margin };
    this.cached = token;
    return token;
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    // Not JSON (an HTML error page from a proxy): the status tells the story.
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function expiresInMs(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

// fetch says only "fetch failed"; the reason (ECONNREFUSED, certificate…) is in its cause.
// Duck-typed: undici's errors may come from another realm, where instanceof Error is false.
function describeFailure(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const reason = cause?.code ?? cause?.message;
  const text = typeof message === 'string' ? message : String(error);
  return reason === undefined ? text : `${text}: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`;
}
