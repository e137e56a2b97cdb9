import type { SMTPConnectionCustomAuthContext, SMTPConnectionCustomAuthResponse } from 'nodemailer/lib/smtp-connection';

/** What nodemailer hands a custom authentication handler. */
export type SaslContext = SMTPConnectionCustomAuthContext;
export type SmtpReply = SMTPConnectionCustomAuthResponse;

/**
 * A failed SASL exchange. nodemailer wraps it (code `EAUTH`, the server's last reply appended),
 * so what classification needs travels as properties.
 */
export class SaslFailure extends Error {
  constructor(
    message: string,
    /** The server's final reply, when there was one. */
    readonly reply?: SmtpReply,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** 235: authentication succeeded (RFC 4954). */
export function succeeded(reply: SmtpReply): boolean {
  return reply.status === 235;
}
