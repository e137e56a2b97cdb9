import type { SMTPConnectionCustomAuthContext, SMTPConnectionCustomAuthResponse } from 'nodemailer/lib/smtp-connection';

/** What nodemailer hands a custom authentication handler. */
export type SaslContext = SMTPConnectionCustomAuthContext;
export type SmtpReply = SMTPConnectionCustomAuthResponse;

/**
 * A failed SASL exchange. nodemailer wraps it (code `EAUTH`, the server's last reply appended),
 * so what classification needs travels as properties.
 */
export class SaslFailure extends Error {
  /** The server's final reply, when there was one; without the command sent, which carried the credentials. */
  readonly reply?: ServerReply;

  constructor(message: string, reply?: SmtpReply, options: { cause?: unknown } = {}) {
    super(message, options);
    if (reply !== undefined)
      this.reply = { status: reply.status, response: reply.response, ...(reply.code === undefined ? {} : { code: reply.code }) };
  }
}

/** A reply as kept on errors: what the server said, never what we sent. */
export type ServerReply = Pick<SmtpReply, 'status' | 'response' | 'code'>;

/** 235: authentication succeeded (RFC 4954). */
export function succeeded(reply: SmtpReply): boolean {
  return reply.status === 235;
}

// RFC 4954 §6 and RFC 3463: the server does not know, allow or want this mechanism here — another one may work.
const MECHANISM_STATUSES = new Set([504, 534, 538]);
const MECHANISM_ENHANCED = new Set(['5.5.4', '5.7.4', '5.7.9', '5.7.11']);
const MECHANISM_TEXT =
  /mechanism[^.]*(not (supported|available|enabled|allowed)|unsupported|unknown|disabled)|unrecognized authentication type/i;

/**
 * True when a reply refuses the mechanism rather than the credentials (`504 5.5.4 Unrecognized
 * authentication type`, `5.7.4 … mechanism not supported`): the one case where trying the next
 * mechanism is right. A 535 is a refused login, never this, so a wrong password costs one attempt.
 */
export function mechanismRefused(reply: SmtpReply): boolean {
  if (reply.status === 535) return false;
  if (MECHANISM_STATUSES.has(reply.status)) return true;
  const enhanced = reply.code ?? /^\d\.\d{1,3}\.\d{1,3}\b/.exec(reply.text ?? '')?.[0];
  if (reply.status >= 500 && enhanced !== undefined && MECHANISM_ENHANCED.has(enhanced)) return true;
  return reply.status >= 500 && MECHANISM_TEXT.test(reply.text ?? reply.response ?? '');
}
