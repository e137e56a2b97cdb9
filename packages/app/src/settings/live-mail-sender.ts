import type { MailReceipt, MailSender, OutgoingMail } from '@mailroom/domain';

/**
 * The mail sender in use, replaceable while mail is going out (an admin changed the SMTP settings): new sends take
 * the new sender at once; the old one finishes what it has in flight, then closes its pool.
 */
export class LiveMailSender implements MailSender {
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;

  constructor(private sender: MailSender) {}

  /** The sender new mails go through. */
  get current(): MailSender {
    return this.sender;
  }

  send(mail: OutgoingMail): Promise<MailReceipt> {
    return this.sender.send(mail);
  }

  verify(): Promise<void> {
    return this.sender.verify();
  }

  /** New sends go through `next`; the previous sender closes once its sends in flight are done. */
  replace(next: MailSender): void {
    if (this.closed) {
      void next.close();
      return;
    }
    const previous = this.sender;
    this.sender = next;
    const retiring = previous.close().catch(() => undefined);
    this.retiring.add(retiring);
    void retiring.finally(() => this.retiring.delete(retiring));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.sender.close(), ...this.retiring]);
  }
}
