import { MailSendError, type MailReceipt, type MailSender, type OutgoingMail } from '@mailroom/domain';

/**
 * Records every mail instead of sending it; can be told to fail the next sends.
 * Part of the product: hosts read `sent` in their own tests.
 */
export class CapturingMailSender implements MailSender {
  readonly sent: OutgoingMail[] = [];
  private failures: { remaining: number; error: () => Error }[] = [];
  private verifyError: Error | undefined;
  private closed = false;

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    if (this.closed) throw new MailSendError('configuration', 'The mail sender is closed.', { code: 'SEND.CONFIGURATION.CLOSED' });
    const failure = this.failures[0];
    if (failure) {
      if (--failure.remaining <= 0) this.failures.shift();
      throw failure.error();
    }
    this.sent.push(mail);
    return { messageId: mail.messageId, accepted: mail.to.map((a) => a.address), rejected: [], response: '250 2.0.0 captured' };
  }

  async verify(): Promise<void> {
    if (this.verifyError) throw this.verifyError;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The next `count` sends throw `error` (a fresh copy each time when given a factory). */
  failNext(count: number, error: Error | (() => Error)): this {
    this.failures.push({ remaining: count, error: typeof error === 'function' ? error : () => error });
    return this;
  }

  /** `verify()` throws this until cleared with undefined. */
  failVerify(error: Error | undefined): this {
    this.verifyError = error;
    return this;
  }

  /** Mails sent to an address. */
  to(address: string): OutgoingMail[] {
    return this.sent.filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()));
  }

  clear(): void {
    this.sent.length = 0;
    this.failures = [];
  }
}
