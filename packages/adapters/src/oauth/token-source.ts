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
