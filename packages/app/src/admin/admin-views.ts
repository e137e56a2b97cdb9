import type { DeliveryError, Notification } from '@mailroom/domain';

/** A recipient as JSON: the address as a plain string. */
function recipientView(n: Notification) {
  const { userId, email, locale, timeZone } = n.recipient;
  return {
    userId,
    address: email.address,
    ...(email.name ? { name: email.name } : {}),
    ...(locale ? { locale } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** One outbox mail as the admin API shows it: its state, its attempts and the last error. */
export function notificationView(n: Notification) {
  return {
    id: n.id,
    kind: n.kind,
    status: n.status,
    delivery: n.delivery,
    recipient: recipientView(n),
    ...(n.topic ? { topic: n.topic } : {}),
    attempts: n.attempts,
    createdAt: n.createdAt,
    nextAttemptAt: n.nextAttemptAt,
    ...(n.claimedBy ? { claimedBy: n.claimedBy } : {}),
    ...(n.leaseUntil ? { leaseUntil: n.leaseUntil } : {}),
    ...(n.sentAt ? { sentAt: n.sentAt } : {}),
    ...(n.messageId ? { messageId: n.messageId } : {}),
    ...(n.digestId ? { digestId: n.digestId } : {}),
    ...(n.dedupeKey ? { dedupeKey: n.dedupeKey } : {}),
    ...(n.lastError ? { lastError: n.lastError, hint: deadLetterHint(n.lastError) } : {}),
    payload: n.payload,
  };
}

/** One dead letter in a list: whom it was for, why it died and what to do about it. */
export function deadLetterView(n: Notification) {
  return {
    id: n.id,
    kind: n.kind,
    recipient: recipientView(n),
    ...(n.topic ? { topic: n.topic } : {}),
    createdAt: n.createdAt,
    attempts: n.attempts,
    reason: n.lastError ?? { code: 'UNKNOWN', message: 'No error was recorded.' },
    hint: deadLetterHint(n.lastError),
  };
}

const HINTS: readonly [family: string, hint: string][] = [
  ['SEND.PERMANENT', "The server refused this mail for good (often: no such mailbox). Check the recipient's address, then retry."],
  [
    'SEND.TRANSIENT',
    'Every attempt failed for a passing reason (the server unreachable or busy, a quota) until the retries ran out. Retry once mail goes out again (see /health).',
  ],
  ['SEND.AUTHENTICATION', "The server refused Mailroom's credentials: fix smtp.auth (see /doctor), then retry."],
  ['SEND.CONFIGURATION', "Mailroom's SMTP settings do not suit this server: fix what /doctor names, then retry."],
];

/** What an admin can do about a dead letter, by its error's family. */
export function deadLetterHint(error: DeliveryError | undefined): string {
  const code = error?.code ?? '';
  const found = HINTS.find(([family]) => code === family || code.startsWith(`${family}.`));
  return found?.[1] ?? 'Read the reason, fix its cause, then retry.';
}

const CLASSES: Readonly<Record<string, string>> = {
  permanent: 'SEND.PERMANENT',
  transient: 'SEND.TRANSIENT',
  authentication: 'SEND.AUTHENTICATION',
  configuration: 'SEND.CONFIGURATION',
};

/** The error code family a `reason` filter names: a failure class (`permanent`) or a code as given. */
export function reasonCode(reason: string): string {
  return CLASSES[reason.toLowerCase()] ?? reason;
}
