import { EXCHANGE_SCOPE, isExchangeResource, knownResource } from '../../oauth/exchange-resource';
import type { StepFailure } from './diagnosis-step';
import type { SettingNames } from './setting-names';
import type { TokenClaims } from './token-claims';

const minutes = (ms: number) => Math.max(1, Math.round(Math.abs(ms) / 60_000));

/**
 * An expired or not-yet-valid token fails the token step: whatever `expires_in` said, the server
 * goes by `exp` and `nbf`, and the AUTH step's advice would point at the wrong settings.
 */
export function tokenValidityFailure(claims: TokenClaims, now: Date, tokenUrl: string, names: SettingNames): StepFailure | undefined {
  const detail = `token from ${tokenUrl}`;
  if (claims.expiresAt !== undefined && claims.expiresAt.getTime() <= now.getTime()) {
    return {
      detail: `${detail}: exp ${claims.expiresAt.toISOString()}`,
      code: 'TOKEN_EXPIRED',
      cause: `The access token from ${tokenUrl} expired at ${claims.expiresAt.toISOString()} (its exp claim), ${minutes(now.getTime() - claims.expiresAt.getTime())} min ago: the server will refuse it.`,
      fix: `Check this machine's clock (NTP), and that ${names.tokenUrl} is the provider's token endpoint itself, not a proxy or cache handing out old tokens.`,
    };
  }
  if (claims.notBefore !== undefined && claims.notBefore.getTime() > now.getTime()) {
    return {
      detail: `${detail}: nbf ${claims.notBefore.toISOString()}`,
      code: 'TOKEN_NOT_YET_VALID',
      cause: `The access token from ${tokenUrl} is not valid before ${claims.notBefore.toISOString()} (its nbf claim), ${minutes(claims.notBefore.getTime() - now.getTime())} min from now: this machine's clock is behind the issuer's.`,
      fix: "Set this machine's clock right (NTP) and run doctor again.",
    };
  }
  return undefined;
}

/**
 * What an Entra token shows is wrong for Exchange Online SMTP: an audience that is not Exchange (a
 * Graph scope), or no SMTP.SendAsApp role (permission not added or admin consent not granted). The
 * server answers either with a bare 535, so the failing AUTH step names this cause instead of a checklist.
 */
export function tokenClaimProblem(claims: TokenClaims, names: SettingNames): { cause: string; fix: string } | undefined {
  if (claims.audience !== undefined && !isExchangeResource(claims.audience)) {
    const api = knownResource(claims.audience);
    return {
      cause: `The token is for ${claims.audience}${api ? ` (${api.name})` : ''}, not for Exchange Online, so Exchange refuses it: ${names.scope} names the wrong API.`,
      fix: `Set ${names.scope} to ${EXCHANGE_SCOPE} (Exchange Online's resource; not a Microsoft Graph scope, by URL or by application id).`,
    };
  }
  if (!claims.roles.includes('SMTP.SendAsApp')) {
    return {
      cause: `The token carries no SMTP.SendAsApp application role (${claims.roles.length ? `roles: ${claims.roles.join(', ')}` : 'no roles at all'}): the app was not given the permission, or admin consent was not granted.`,
      fix:
        'Entra admin center → App registrations → your app → API permissions → Add a permission → APIs my organization uses → "Office 365 Exchange Online" → ' +
        'Application permissions → SMTP.SendAsApp; then "Grant admin consent" for the tenant. Tokens issued after that carry the role: run doctor again.',
    };
  }
  return undefined;
}
