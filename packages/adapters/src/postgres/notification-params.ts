import type { ClaimRef, NewNotification, Settlement } from '@mailroom/domain';
import { ParamList } from './param-list';
import { NOTIFICATIONS } from './tables';

/*
 * The row parameters of the statements that update many mails at once: the SQL's `unnest` and the values the
 * store sends are both built from these lists, the types from the notifications' columns.
 */

/** A settlement as `settle`'s parameters: the columns it sets, the mail and the claim it is for. */
export const SETTLEMENT_PARAMS = new ParamList<Settlement>([
  { name: 'type', type: 'text', value: (s) => s.type },
  NOTIFICATIONS.param('id', (s: Settlement) => s.id),
  NOTIFICATIONS.param('sent_at', (s: Settlement) => (s.type === 'sent' ? s.at : null)),
  NOTIFICATIONS.param('next_attempt_at', (s: Settlement) => (s.type === 'retry' || s.type === 'release' ? s.nextAttemptAt : null)),
  NOTIFICATIONS.param('message_id', (s: Settlement) => (s.type === 'sent' ? s.messageId : null)),
  NOTIFICATIONS.param('last_error', (s: Settlement) => s.error),
  NOTIFICATIONS.param('claim_seq', (s: Settlement) => s.claim),
]);

/** The claims `extendLeases` renews, as its parameters from `$2` on. */
export const CLAIM_PARAMS = new ParamList<ClaimRef>([
  NOTIFICATIONS.param('id', (c: ClaimRef) => c.id),
  NOTIFICATIONS.param('claim_seq', (c: ClaimRef) => c.claim),
]);

/** The digests `markDigestedMany` marks the items of, as its parameters from `$2` on. */
export const DIGEST_PARAMS = new ParamList<NewNotification>([
  NOTIFICATIONS.param('user_id', (d: NewNotification) => d.recipient.userId),
  NOTIFICATIONS.param('id', (d: NewNotification) => d.id),
]);
