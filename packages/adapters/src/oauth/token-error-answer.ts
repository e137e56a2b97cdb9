import { redact } from '../secrets/redact';
import { ENTRA_ERRORS, entraCodeOf } from './entra-hints';
import { TokenEndpointError, type TokenFailure } from './token-endpoint-error';
import { TOKEN_SETTING_NAMES, type TokenSettingNames } from './token-setting-names';

export interface TokenErrorAnswer {
  readonly tokenUrl: string;
  readonly status?: number;
  /** RFC 6749 `error`, e.g. `invalid_client`. */
  readonly error?: string;
  readonly description?: string;
  /** Removed from everything that goes into the message. */
  readonly secret: string;
  /** How hints name the settings. */
  readonly names?: Partial<TokenSettingNames>;
}

// RFC 6749 §5.2 errors that mean the settings are wrong rather than the secret.
const CONFIGURATION_ERRORS = new Set(['invalid_scope', 'unauthorized_client', 'unsupported_grant_type', 'invalid_request']);

/** Turns a token endpoint's error answer into a typed error keeping the provider's code, with a hint. */
export function tokenRefused(answer: TokenErrorAnswer): TokenEndpointError {
  const { tokenUrl, status, error, secret } = answer;
  const names: TokenSettingNames = { ...TOKEN_SETTING_NAMES, ...answer.names };
  const description = answer.description === undefined ? undefined : redact(answer.description, [secret]);
  const aadsts = entraCodeOf(description);
  const known = aadsts === undefined ? undefined : ENTRA_ERRORS[aadsts];
  const providerCode = aadsts ?? error;
  const said = [status === undefined ? undefined : `HTTP ${status}`, error, description].filter(Boolean).join(', ');

  if (known === undefined && (status === undefined || status >= 500 || status === 429 || status === 408)) {
    return new TokenEndpointError(
      'OAUTH.TOKEN_UNREACHABLE',
      'transient',
      `The token endpoint ${tokenUrl} failed (${said || 'no answer'}); Mailroom will try again.`,
      { providerCode, status, hint: `If this persists, check that ${names.tokenUrl} is reachable from this host (proxy, firewall).` },
    );
  }
  let failure: TokenFailure = known?.failure ?? 'authentication';
  if (known === undefined && (status === 404 || (error !== undefined && CONFIGURATION_ERRORS.has(error)))) failure = 'configuration';
  const hint =
    known?.hint(names) ??
    (status === 404
      ? `The token URL does not exist: check ${names.tokenUrl} (for Microsoft: https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token).`
      : failure === 'configuration'
        ? `Check ${names.clientId}, ${names.scope} and ${names.tokenUrl} against the provider's app registration.`
        : `Check ${names.clientId} and ${names.clientSecret}; the secret may have expired.`);
  return new TokenEndpointError(
    'OAUTH.TOKEN_REFUSED',
    failure,
    `The token endpoint ${tokenUrl} refused the client credentials (${said}). ${hint}`,
    {
      providerCode,
      status,
      hint,
    },
  );
}
