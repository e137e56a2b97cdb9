import { EmailAddress, type Notification, type Recipient, type Subscription } from '@mailroom/domain';
import type { NotificationRow, RecipientColumns, SubscriptionRow } from './entities';

/** The notification columns every read returns (all but `seq`, which only orders). */
export const NOTIFICATION_COLUMNS =
  'id, kind, user_id, address, display_name, locale, time_zone, topic, payload, delivery, status, attempts, claim_seq, claimed_by, next_attempt_at, lease_until, last_error, dedupe_key, created_at, sent_at, message_id, digest_id';

export const SUBSCRIPTION_COLUMNS = 'topic, user_id, address, display_name, locale, time_zone, delivery, created_at';

/** The recipient's columns, in the order of `user_id, address, display_name, locale, time_zone`. */
export function recipientValues(r: Recipient): [string, string, string | null, string | null, string | null] {
  return [r.userId, r.email.address, r.email.name ?? null, r.locale ?? null, r.timeZone ?? null];
}

/** Rebuilds the recipient; the address was valid when stored, `parse` makes it an EmailAddress again. */
export function toRecipient(row: RecipientColumns): Recipient {
  return {
    userId: row.user_id,
    email: EmailAddress.parse(row.address, row.display_name ?? undefined),
    ...(row.locale !== null ? { locale: row.locale } : {}),
    ...(row.time_zone !== null ? { timeZone: row.time_zone } : {}),
  };
}

/** A row as the domain sees it: optional fields absent rather than null, as the in-memory store has them. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    recipient: toRecipient(row),
    ...(row.topic !== null ? { topic: row.topic } : {}),
    payload: row.payload,
    delivery: row.delivery,
    status: row.status,
    attempts: row.attempts,
    claim: row.claim_seq,
    ...(row.claimed_by !== null ? { claimedBy: row.claimed_by } : {}),
    nextAttemptAt: row.next_attempt_at,
    ...(row.lease_until !== null ? { leaseUntil: row.lease_until } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.dedupe_key !== null ? { dedupeKey: row.dedupe_key } : {}),
    createdAt: row.created_at,
    ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}),
    ...(row.message_id !== null ? { messageId: row.message_id } : {}),
    ...(row.digest_id !== null ? { digestId: row.digest_id } : {}),
  };
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return { subscriber: toRecipient(row), topic: row.topic, delivery: row.delivery, createdAt: row.created_at };
}
