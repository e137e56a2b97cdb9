import type { Recipient } from './values/recipient';

export type Delivery = 'immediate' | 'digest';

/**
 * pending → sending → sent; pending → dead (and back to pending when an admin retries);
 * a digest item: pending → digested (it went out inside a digest mail).
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'dead' | 'digested';

export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'sending', 'sent', 'dead', 'digested'];

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
  /** Send attempts started, counted when a worker claims the mail. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  /** While `sending`: the claim expires then and the mail is due again (its worker died). */
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
}

/** A notification in its starting state. */
export function pendingNotification(n: NewNotification): Notification {
  return { ...n, status: 'pending', attempts: 0, nextAttemptAt: n.createdAt };
}
