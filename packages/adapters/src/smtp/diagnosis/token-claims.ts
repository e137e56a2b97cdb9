/**
 * What an access token says about itself, when it is a JWT (Entra's are): the audience and the
 * application roles. A token for SMTP must be for Exchange Online and carry SMTP.SendAsApp; reading
 * it names a missing permission before the server answers a bare 535. Opaque tokens yield nothing.
 */
export function describeTokenClaims(accessToken: string): string | undefined {
  const payload = accessToken.split('.')[1];
  if (payload === undefined || accessToken.split('.').length !== 3) return undefined;
  let claims: { aud?: unknown; roles?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  const parts: string[] = [];
  if (typeof claims.aud === 'string') parts.push(`audience ${claims.aud}`);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  parts.push(roles.length ? `roles ${roles.join(', ')}` : 'no application roles');
  if (typeof claims.aud === 'string' && /outlook\.office365\.|outlook\.office\.com|00000002-0000-0ff1-ce00-000000000000/i.test(claims.aud) && !roles.includes('SMTP.SendAsApp')) {
    parts.push('SMTP.SendAsApp is missing: add it as an application permission and grant admin consent');
  }
  return parts.join('; ');
}
