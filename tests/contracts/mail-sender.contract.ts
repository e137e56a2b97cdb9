import type { MailSender, OutgoingMail } from '@mailroom/domain';
import { aMail } from '../support/mail-mother';

/** What a sender's environment saw, normalised so one contract can check every adapter. */
export interface ReceivedMessage {
  readonly from: { address: string; name: string };
  readonly to: string[];
  readonly subject: string;
  /** Without angle brackets. */
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references: string[];
  /** The header's value, looked up by its lower-case name. */
  header(name: string): string | undefined;
  readonly html: string;
  readonly text: string;
}

export interface MailSenderFixture {
  readonly sender: MailSender;
  /** What reached the other side (an SMTP server, or the capturing sender's list). */
  received(): Promise<ReceivedMessage[]>;
  teardown(): Promise<void>;
}

/** The `MailSender` contract, run against every adapter. `setup` gives a fresh sender for each test. */
export function mailSenderContract(name: string, setup: () => Promise<MailSenderFixture>): void {
  describe(`MailSender contract: ${name}`, () => {
    let fixture: MailSenderFixture;

    beforeEach(async () => {
      fixture = await setup();
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    const only = async (mail: OutgoingMail): Promise<ReceivedMessage> => {
      const found = (await fixture.received()).filter((m) => m.messageId === mail.messageId);
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    it('resolves with a receipt naming the mail and its accepted recipient', async () => {
      const mail = aMail();
      const receipt = await fixture.sender.send(mail);
      expect(receipt.messageId).toBe(mail.messageId);
      expect(receipt.accepted).toContain('ada@example.com');
      expect(receipt.rejected).toEqual([]);
    });

    it('delivers From with its display name, To, Subject, Message-ID, HTML and text', async () => {
      const mail = aMail({ subject: 'Your import “hr-feed” failed' });
      await fixture.sender.send(mail);
      const got = await only(mail);
      expect(got.from).toEqual({ address: 'notifications@mailroom.test', name: 'Mailroom Notifications' });
      expect(got.to).toEqual(['ada@example.com']);
      expect(got.subject).toBe('Your import “hr-feed” failed');
      expect(got.html).toContain('<b>access</b>');
      expect(got.text.trim()).toBe('Please review access.');
    });

    it('keeps threading: In-Reply-To and References', async () => {
      const mail = aMail({ inReplyTo: 'thread-1@mailroom.test', references: ['thread-1@mailroom.test'] });
      await fixture.sender.send(mail);
      const got = await only(mail);
      expect(got.inReplyTo).toBe('thread-1@mailroom.test');
      expect(got.references).toEqual(['thread-1@mailroom.test']);
    });

    it('delivers the extra headers', async () => {
      const mail = aMail({ headers: { 'Auto-Submitted': 'auto-generated' } });
      await fixture.sender.send(mail);
      expect((await only(mail)).header('auto-submitted')).toBe('auto-generated');
    });

    it('sends several mails at once, each once', async () => {
      const mails = [aMail(), aMail(), aMail(), aMail(), aMail()];
      const receipts = await Promise.all(mails.map((m) => fixture.sender.send(m)));
      expect(receipts.map((r) => r.messageId)).toEqual(mails.map((m) => m.messageId));
      for (const mail of mails) await only(mail);
    });

    it('verifies against a good server', async () => {
      await expect(fixture.sender.verify()).resolves.toBeUndefined();
    });

    it('closes, after which sending fails with a configuration error', async () => {
      await fixture.sender.send(aMail());
      await fixture.sender.close();
      await expect(fixture.sender.send(aMail())).rejects.toMatchObject({ name: 'MailSendError', failure: 'configuration' });
    });
  });
}
