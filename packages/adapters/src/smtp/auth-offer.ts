import { hostname } from 'node:os';
import { parseEhloReply } from './diagnosis/ehlo-reply';
import { SaslFailure, type SaslContext } from './sasl-exchange';

/** Why no AUTH command was sent. */
export type AuthNotOfferedReason =
  /** No AUTH on this plain connection, but STARTTLS is offered: the server wants TLS before a login. */
  | 'starttls-required'
  /** No AUTH at all in the EHLO reply. */
  | 'no-auth'
  /** AUTH is offered, but none of the mechanisms the settings allow. */
  | 'mechanism-not-offered';

/**
 * The server did not advertise a mechanism the settings may use, so nothing was sent: credentials go
 * only to a mechanism the server offered (a server offering no AUTH before STARTTLS must not get a
 * password in clear). Carries what the server did offer, for the message.
 */
export class AuthNotOffered extends SaslFailure {
  override readonly name = 'AuthNotOffered';

  constructor(
    readonly reason: AuthNotOfferedReason,
    /** Every mechanism in the EHLO reply (not only those nodemailer knows). */
    readonly offered: readonly string[],
    /** What the settings allow. */
    readonly wanted: readonly string[],
  ) {
    super(
      reason === 'starttls-required'
        ? 'The server offers no AUTH before STARTTLS'
        : reason === 'no-auth'
          ? 'The server offers no AUTH'
          : `The server offers AUTH ${offered.join(' ')}, not ${wanted.join(' or ')}`,
    );
  }
}

/**
 * The mechanisms of `wanted` the server advertised, in `wanted`'s order; when there are none, asks the
 * server again what it offers (a second EHLO, which RFC 5321 §4.1.4 allows and which resets nothing
 * we rely on: no transaction is open yet) and throws `AuthNotOffered` without sending any AUTH.
 * nodemailer only reports the mechanisms it knows and not STARTTLS, hence the second EHLO.
 */
export async function offeredMechanisms(ctx: SaslContext, wanted: readonly string[], ehloName: string): Promise<string[]> {
  const advertised = ctx.authMethods.map((m) => m.toUpperCase());
  const usable = wanted.filter((m) => advertised.includes(m));
  if (usable.length > 0) return usable;
  const reply = await ctx.sendCommand(`EHLO ${ehloName}`);
  // nodemailer reads no status from a multi-line reply (`250-…`): look at the text.
  const ehlo = /^250[ -]/.test(reply.response) ? parseEhloReply(reply.response) : undefined;
  const offered = ehlo?.mechanisms ?? advertised;
  if (offered.length > 0) throw new AuthNotOffered('mechanism-not-offered', offered, wanted);
  throw new AuthNotOffered(ehlo?.startTls === true ? 'starttls-required' : 'no-auth', [], wanted);
}

/** The name nodemailer greets with when none is configured (its `_getHostname`): a dotted host name, else `[127.0.0.1]`. */
export function defaultEhloName(): string {
  const name = hostname();
  return name.includes('.') ? name : '[127.0.0.1]';
}
