import { MailroomError } from '@mailroom/domain';

export type TokenFailure = 'authentication' | 'configuration' | 'transient';

export interface TokenEndpointErrorDetails {
  /** The provider's own code: `AADSTS7000215`, or the RFC 6749 `error` (`invalid_client`) when there is none. */
  readonly providerCode?: string;
  /** HTTP status of the token endpoint's answer, when it answered. */
  readonly status?: number;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The token endpoint refused, failed or could not be reached. `failure` says what the SMTP side
 * should make of it; messages never contain the client secret.
 *
 * Codes: `OAUTH.TOKEN_REFUSED` (the endpoint answered with an error), `OAUTH.TOKEN_UNREACHABLE`
 * (network, timeout, 5xx, 429), `OAUTH.TOKEN_EMPTY` (no usable access token in a success answer),
 * `OAUTH.CONFIGURATION` (the token URL or settings cannot work).
 */
export class TokenEndpointError extends MailroomError {
  override readonly name = 'TokenEndpointError';
  readonly providerCode?: string;
  readonly status?: number;
  readonly hint?: string;

  constructor(
    code: string,
    readonly failure: TokenFailure,
    message: string,
    details: TokenEndpointErrorDetails = {},
  ) {
    super(code, message, { cause: details.cause });
    if (details.providerCode !== undefined) this.providerCode = details.providerCode;
    if (details.status !== undefined) this.status = details.status;
    if (details.hint !== undefined) this.hint = details.hint;
  }
}
