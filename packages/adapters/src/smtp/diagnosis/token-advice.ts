import { ENTRA_ERRORS } from '../../oauth/entra-hints';
import { TokenEndpointError } from '../../oauth/token-endpoint-error';
import type { StepFailure } from './diagnosis-step';
import type { SettingNames } from './setting-names';

/** Why no token came back, and what to change; AADSTS codes carry the meaning EXCHANGE.md gives them. */
export function tokenFailure(error: unknown, tokenUrl: string, names: SettingNames): StepFailure {
  if (!(error instanceof TokenEndpointError)) {
    const said = error instanceof Error ? error.message : String(error);
    return {
      detail: `token from ${tokenUrl}: ${said}`,
      cause: `Could not get a token: ${said}.`,
      fix: `Check ${names.tokenUrl} and that it is reachable from this machine.`,
    };
  }
  const entra = error.providerCode === undefined ? undefined : ENTRA_ERRORS[error.providerCode];
  // The error's message ends with its hint; here the hint is the fix, on its own line.
  const said =
    error.hint !== undefined && error.message.endsWith(error.hint) ? error.message.slice(0, -error.hint.length).trim() : error.message;
  const code = error.providerCode ?? error.code;
  if (entra) {
    return {
      detail: `token from ${tokenUrl}: ${error.status === undefined ? '' : `HTTP ${error.status}, `}${code}`,
      code,
      cause: `Microsoft Entra refused the client credentials with ${code}: ${entra.meaning}.`,
      fix: entra.hint(names),
    };
  }
  return {
    detail: `token from ${tokenUrl}${error.status === undefined ? '' : `: HTTP ${error.status}`}`,
    code,
    cause: said,
    fix: error.hint ?? `Check ${names.tokenUrl}, ${names.clientId} and ${names.clientSecret}.`,
  };
}
