import type { TokenEndpointError } from './token-endpoint-error';

/** An OAuth2 access token, as handed to XOAUTH2. */
export interface AccessToken {
  readonly accessToken: string;
  /** When the provider says it expires, if it said. */
  readonly expiresAt?: Date;
  /** True when served from the cache: a server refusing it may only mean it went stale, so one refresh is worth trying. */
  readonly fromCache: boolean;
}

/** Options of `TokenSource.getToken`. */
export interface TokenRequest {
  /** Skip the cache and ask the token endpoint (after a server refused the cached token). */
  readonly forceRefresh?: boolean;
}

/**
 * Where access tokens come from (client credentials against Microsoft Entra or any RFC 6749 endpoint).
 * Implementations cache, refresh before expiry, and keep one request in flight however many callers ask.
 * Failures are thrown as `TokenEndpointError`.
 */
export interface TokenSource {
  getToken(request?: TokenRequest): Promise<AccessToken>;
}

/** Told about each request a token source makes to the token endpoint (a token served from the cache is none). */
export interface TokenObserver {
  /** The endpoint gave a token. */
  fetched?(): void;
  /** A request failed: refused, unreachable, or no token in the answer. */
  failed?(error: TokenEndpointError): void;
}

/** `request` (one request to the endpoint), told to `observer`; `fetched` says whether its token came from the endpoint. */
export async function observedRequest<T>(
  request: Promise<T>,
  observer: TokenObserver | undefined,
  fetched: (token: T) => boolean = () => true,
): Promise<T> {
  let token: T;
  try {
    token = await request;
  } catch (error) {
    observer?.failed?.(error as TokenEndpointError);
    throw error;
  }
  if (fetched(token)) observer?.fetched?.();
  return token;
}
