import { isExchangeResource, knownResource } from '../../oauth/exchange-resource';

/** What an access token says about itself, when it is a JWT (Entra's are). Opaque tokens yield nothing. */
export interface TokenClaims {
  readonly audience?: string;
  readonly roles: readonly string[];
  readonly expiresAt?: Date;
  readonly notBefore?: Date;
  /** Issued by Microsoft Entra (its `iss` is sts.windows.net or login.microsoftonline.*). */
  readonly entra: boolean;
}

const ENTRA_ISSUER = /^https:\/\/(sts\.windows\.net|login\.microsoftonline\.[a-z.]+|sts\.chinacloudapi\.cn)\//i;

/** The claims of a JWT access token; the signature is not checked (the server does that), only read. */
export function readTokenClaims(accessToken: string): TokenClaims | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined);
  const audience = Array.isArray(claims.aud)
    ? claims.aud.find((a): a is string => typeof a === 'string')
    : typeof claims.aud === 'string'
      ? claims.aud
      : undefined;
  const expiresAt = time(claims.exp);
  const notBefore = time(claims.nbf);
  return {
    ...(audience === undefined ? {} : { audience }),
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [],
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(notBefore === undefined ? {} : { notBefore }),
    entra: typeof claims.iss === 'string' && ENTRA_ISSUER.test(claims.iss),
  };
}

/** `audience https://outlook.office365.com; roles SMTP.SendAsApp`, with what is wrong for SMTP flagged. */
export function describeTokenClaims(claims: TokenClaims): string {
  const parts: string[] = [];
  if (claims.audience !== undefined) {
    const api = knownResource(claims.audience);
    parts.push(`audience ${claims.audience}${api && !api.exchange ? ` (${api.name}, not Exchange Online)` : ''}`);
  }
  parts.push(claims.roles.length ? `roles ${claims.roles.join(', ')}` : 'no application roles');
  if (claims.audience !== undefined && isExchangeResource(claims.audience) && !claims.roles.includes('SMTP.SendAsApp')) {
    parts.push('SMTP.SendAsApp is missing: add it as an application permission and grant admin consent');
  }
  return parts.join('; ');
}
