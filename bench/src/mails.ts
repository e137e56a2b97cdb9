import {
  pendingNotification,
  recipient,
  type Notification,
  type NotifyInput,
  type OutgoingMail,
  type QueryResultsChangedPayload,
  type RecipientInput,
} from '@mailroom/domain';

/** The mails every figure sends: one kind, one recipient per user, payloads that differ a little. */
export const KIND = 'query-results-changed';

export function recipientInput(i: number): RecipientInput {
  return { userId: userId(i), address: `user${i}@bench.example.test`, name: `Bench User ${i}` };
}

/** Zero-padded, so user ids sort as the numbers do. */
export function userId(i: number): string {
  return `u${String(i).padStart(7, '0')}`;
}

export function payload(i: number): QueryResultsChangedPayload {
  return {
    queryId: String(i % 500),
    queryName: `Leavers with access #${i % 500}`,
    rowsAdded: i % 7,
    rowsRemoved: i % 3,
    totalRows: 100 + (i % 50),
    linkPath: `/queries/${i % 500}`,
  };
}

export function notification(i: number): NotifyInput<typeof KIND> {
  return { kind: KIND, recipient: recipientInput(i), payload: payload(i) };
}

/** The notification `notify(notification(i))` would make, pending, never stored: for composing baseline mails. */
export function pendingImmediate(i: number): Notification {
  return pendingNotification({
    id: crypto.randomUUID(),
    kind: KIND,
    recipient: recipient(recipientInput(i)),
    payload: payload(i) as unknown as Record<string, unknown>,
    delivery: 'immediate',
    createdAt: new Date(),
  });
}

/** nodemailer's message for a Mailroom mail, field for field as the SMTP adapter builds it. */
export function toNodemailerMessage(mail: OutgoingMail): Record<string, unknown> {
  return {
    from: { name: mail.from.name ?? '', address: mail.from.address },
    to: mail.to.map((a) => ({ name: a.name ?? '', address: a.address })),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: `<${mail.messageId}>`,
    ...(mail.inReplyTo !== undefined ? { inReplyTo: `<${mail.inReplyTo}>` } : {}),
    ...(mail.references !== undefined ? { references: mail.references.map((r) => `<${r}>`) } : {}),
    // The same headers as Mailroom's sender adds (Auto-Submitted): the baseline sends the same mails.
    ...(mail.headers !== undefined ? { headers: { ...mail.headers } } : {}),
  };
}
