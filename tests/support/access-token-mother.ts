/** The claims of an access token Entra issues for Exchange Online SMTP (client credentials), valid for an hour. */
export interface AccessTokenClaims {
  readonly iss?: string;
  readonly aud?: string;
  readonly roles?: readonly string[];
  /** Seconds since the epoch. */
  readonly exp?: number;
  readonly nbf?: number;
  readonly [claim: string]: unknown;
}

const TENANT = '0f5d9e0e-1111-2222-3333-444455556666';

/**
 * An Entra-style JWT access token (unsigned: what is tested is what Mailroom reads from it, and the test
 * servers decide what to accept). Override the claims a test is about; `undefined` removes one.
 */
export function anEntraAccessToken(overrides: Partial<AccessTokenClaims> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: `https://sts.windows.net/${TENANT}/`,
    aud: 'https://outlook.office365.com',
    roles: ['SMTP.SendAsApp'],
    iat: now - 300,
    nbf: now - 300,
    exp: now + 3600,
    jti: Math.random().toString(36).slice(2),
    ...overrides,
  };
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** Seconds since the epoch, `minutes` from now. */
export function epochMinutesFromNow(minutes: number): number {
  return Math.floor(Date.now() / 1000) + minutes * 60;
}
