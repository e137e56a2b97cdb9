import { MailroomError } from './errors';
import type { EmailAddress } from './values/email-address';

/** A rendered mail, ready for the SMTP server. */
export interface OutgoingMail {
  /** Stable per outbox row (the same on every retry), without angle brackets, so receivers can drop duplicates. */
  readonly messageId: string;
  readonly from: EmailAddress;
  readonly to: readonly EmailAddress[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Threading: the Message-ID this mail answers, without angle brackets. */
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  /** Extra headers (names without CR/LF; values one line). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A recipient the server refused, with its reply. */
export interface RejectedRecipient {
  readonly address: string;
  readonly responseCode?: number;
  readonly response?: string;
}

/** What the server said when it took the mail. */
export interface MailReceipt {
  readonly messageId: string;
  readonly accepted: readonly string[];
  /** Recipients the server refused while accepting the others. */
  readonly rejected: readonly RejectedRecipient[];
  /** The server's final reply, e.g. `250 2.0.0 OK queued`. */
  readonly response?: string;
}

/**
 * - `transient`: try again later (4xx, 421, 432, connection refused or reset, timeouts).
 * - `permanent`: this mail will never go (5xx about the message or every recipient) → dead letter.
 * - `authentication`: the server or token endpoint refused our credentials → stop, tell the admin.
 * - `configuration`: TLS, certificate, port, sender rights… → stop, tell the admin what to change.
 */
export type SendFailureClass = 'transient' | 'permanent' | 'authentication' | 'configuration';

const CODE_BY_CLASS: Record<SendFailureClass, string> = {
  transient: 'SEND.TRANSIENT',
  permanent: 'SEND.PERMANENT',
  authentication: 'SEND.AUTHENTICATION',
  configuration: 'SEND.CONFIGURATION',
};

/** What a `MailSendError` carries besides its class and message. */
export interface MailSendErrorDetails {
  /** SMTP reply code (e.g. 535), when the server answered. */
  readonly responseCode?: number;
  /** Enhanced status code (e.g. `5.7.139`), when the server gave one. */
  readonly enhancedCode?: string;
  /** The server's reply text, with anything secret removed. */
  readonly response?: string;
  /** What an admin should do, in their words. */
  readonly hint?: string;
  /** A more specific code within the class, e.g. `SEND.CONFIGURATION.TLS`. */
  readonly code?: string;
  /**
   * The server refuses every mail for a while (a sending quota): delivery pauses this long, and mails wait
   * without spending attempts instead of running out of them before the quota frees up.
   */
  readonly pauseMs?: number;
  readonly cause?: unknown;
}

/** A failed send, classified so delivery knows whether to retry, dead-letter, or stop and report. */
export class MailSendError extends MailroomError {
  override readonly name = 'MailSendError';
  /** SMTP reply code (e.g. 535), when the server answered. */
  readonly responseCode?: number;
  /** Enhanced status code (e.g. `5.7.139`), when the server gave one. */
  readonly enhancedCode?: string;
  /** The server's reply text, with anything secret removed. */
  readonly response?: string;
  /** What an admin should do, in their words. */
  readonly hint?: string;
  /** Delivery pauses this long (a sending quota) instead of spending attempts. */
  readonly pauseMs?: number;

  constructor(
    readonly failure: SendFailureClass,
    message: string,
    details: MailSendErrorDetails = {},
  ) {
    super(details.code ?? CODE_BY_CLASS[failure], message, { cause: details.cause });
    if (details.responseCode !== undefined) this.responseCode = details.responseCode;
    if (details.enhancedCode !== undefined) this.enhancedCode = details.enhancedCode;
    if (details.response !== undefined) this.response = details.response;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.pauseMs !== undefined) this.pauseMs = details.pauseMs;
  }

  /** Authentication and configuration failures stop delivery until fixed; retrying other mails cannot help. */
  get stopsDelivery(): boolean {
    return this.failure === 'authentication' || this.failure === 'configuration';
  }

  /** Stops delivery until fixed, or pauses it for `pauseMs`: either way no other mail is tried meanwhile. */
  get holdsDelivery(): boolean {
    return this.stopsDelivery || this.pauseMs !== undefined;
  }
}
