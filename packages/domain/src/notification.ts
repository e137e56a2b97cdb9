import type { Recipient } from './values/recipient';

/** Sent as soon as a worker is free, or listed in the recipient's next digest. */
export type Delivery = 'immediate' | 'digest';

/**
 * pending → sending → sent; pending → dead (and back to pending when an admin retries);
 * a digest item: pending → digested (it went out inside a digest mail).
 * Recorded but never sent, final from the start: `skipped` (the recipient turned the kind off) and `suppressed` (the
 * address is on the suppression list).
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'dead' | 'digested' | 'skipped' | 'suppressed';

/** Every notification status, in lifecycle order. */
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = [
  'pending',
  'sending',
  'sent',
  'dead',
  'digested',
  'skipped',
  'suppressed',
];

/** How a new notification starts: to be sent, or recorded as not sent (`skipped`, `suppressed`). */
export type InitialStatus = 'pending' | 'skipped' | 'suppressed';

/** Why the last attempt failed, as kept on the row. */
export interface DeliveryError {
  readonly code: string;
  readonly message: string;
  /** SMTP reply code, e.g. 550. */
  readonly responseCode?: number;
}

/** One outbox row: a notification to one recipient, or a digest mail made of many. */
export interface Notification {
  readonly id: string;
  readonly kind: string;
  readonly recipient: Recipient;
  readonly topic?: string;
  readonly payload: Record<string, unknown>;
  readonly delivery: Delivery;
  readonly status: NotificationStatus;
  /** Send attempts started, counted when a worker claims the mail; an admin's retry of a dead letter resets it. */
  readonly attempts: number;
  /**
   * Claims of this mail so far, never reset: a settlement names the claim it is for, so a worker that lost its
   * claim (its lease ran out and another worker took the mail, or an admin retried it meanwhile) settles nothing.
   */
  readonly claim: number;
  /** The worker that holds (while `sending`) or last held the claim, e.g. `host/1234/ab12`. */
  readonly claimedBy?: string;
  readonly nextAttemptAt: Date;
  /** While `sending`: the claim expires then unless its worker extends it; then the mail is due again (its worker died). */
  readonly leaseUntil?: Date;
  readonly lastError?: DeliveryError;
  readonly dedupeKey?: string;
  readonly createdAt: Date;
  readonly sentAt?: Date;
  /** Message-ID the server accepted, without angle brackets. */
  readonly messageId?: string;
  /** For a digested item: the digest mail that carried it. */
  readonly digestId?: string;
}

/** What a store is asked to add. */
export interface NewNotification {
  readonly id: string;
  readonly kind: string;
  readonly recipient: Recipient;
  readonly topic?: string;
  readonly payload: Record<string, unknown>;
  readonly delivery: Delivery;
  readonly dedupeKey?: string;
  readonly createdAt: Date;
  /** Default `pending`; `skipped` or `suppressed` records a notification that is never sent. */
  readonly status?: InitialStatus;
  /**
   * The store decides the delivery and status as it adds, from what it holds about the recipient, in the same step:
   * `delivery` is then what the host asked for. See `RecipientRules`.
   */
  readonly rules?: RecipientRules;
}

/**
 * How a store decides a new notification's delivery and status as it adds it (as `effectiveChoice`): the recipient's
 * choice for the kind (on the notification's topic, else on every topic) replaces the delivery when it is immediate or
 * digest; "off" records the notification as `skipped`, unless the kind is mandatory; else an address on the
 * suppression list records it as `suppressed` when `suppress` is set.
 */
export interface RecipientRules {
  readonly mandatory: boolean;
  /** The suppression list applies (the `suppression.enabled` setting). */
  readonly suppress: boolean;
}

/** A notification in its starting state (`pending` unless it says otherwise), as stored without `rules` applied. */
export function pendingNotification(n: NewNotification): Notification {
  const { rules: _rules, ...notification } = n;
  return { ...notification, status: n.status ?? 'pending', attempts: 0, claim: 0, nextAttemptAt: n.createdAt };
}
