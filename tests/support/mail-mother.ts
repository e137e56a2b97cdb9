import { EmailAddress, type OutgoingMail } from '@mailroom/domain';

let sequence = 0;

/** An outgoing mail with sensible defaults; override what the test is about. */
export function aMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  sequence += 1;
  return {
    messageId: `n-${sequence}-${Date.now()}@mailroom.test`,
    from: EmailAddress.parse('notifications@mailroom.test', 'Mailroom Notifications'),
    to: [EmailAddress.parse('ada@example.com', 'Ada Lovelace')],
    subject: `Access review requested #${sequence}`,
    html: '<p>Please review <b>access</b>.</p>',
    text: 'Please review access.',
    ...overrides,
  };
}
