import type { MailReceipt, OutgoingMail } from '../mail';

/**
 * Sends mail through an SMTP server (or captures it, in tests).
 * Failures are thrown as `MailSendError`, classified transient / permanent / authentication / configuration.
 */
export interface MailSender {
  /** Sends one mail; resolves once the server has accepted it for at least one recipient. */
  send(mail: OutgoingMail): Promise<MailReceipt>;
  /** Connects, negotiates TLS and authenticates without sending: for diagnostics and health. */
  verify(): Promise<void>;
  /** Closes pooled connections; sends in flight finish first. */
  close(): Promise<void>;
}
