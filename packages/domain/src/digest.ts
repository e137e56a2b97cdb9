import { MailroomError } from './errors';
import type { IsoDateTime } from './kinds/payloads';
import type { Notification } from './notification';

/** How often digests go out and how much one lists (`digest.*` in the configuration). */
export interface DigestSettings {
  /** A recipient gets at most one digest per interval. Default 60. */
  readonly intervalMinutes: number;
  /** A digest lists at most this many items (the newest) and says how many earlier ones there are. Default 20. */
  readonly maxItems: number;
}

/** One digest an hour, listing at most 20 items. */
export const DEFAULT_DIGEST: DigestSettings = { intervalMinutes: 60, maxItems: 20 };

/** One item as a digest mail lists it: a snapshot of the notification it covers. */
export interface DigestItem {
  readonly id: string;
  readonly kind: string;
  readonly topic?: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: IsoDateTime;
}

/** The payload of a digest mail (kind `digest`). */
export interface DigestPayload {
  readonly periodStart: IsoDateTime;
  readonly periodEnd: IsoDateTime;
  /** The newest `maxItems` at most, in the order they happened (oldest first; equal times in the order they were added). */
  readonly items: readonly DigestItem[];
  /** Every item the digest covers, listed or not. */
  readonly totalCount: number;
  /** Items covered but not listed, all earlier than the listed ones ("N earlier updates"). */
  readonly moreCount: number;
}

/** Digest settings within their bounds, or a `CONFIG.DIGEST` error naming the setting. */
export function checkDigestSettings(s: DigestSettings): DigestSettings {
  if (!Number.isInteger(s.intervalMinutes) || s.intervalMinutes < 1 || s.intervalMinutes > 7 * 24 * 60) {
    throw new MailroomError('CONFIG.DIGEST', `digest.intervalMinutes must be a whole number from 1 to 10080 (got ${s.intervalMinutes}).`);
  }
  if (!Number.isInteger(s.maxItems) || s.maxItems < 1 || s.maxItems > 1000) {
    throw new MailroomError('CONFIG.DIGEST', `digest.maxItems must be a whole number from 1 to 1000 (got ${s.maxItems}).`);
  }
  return s;
}

/**
 * Digest periods are aligned on the interval (since the Unix epoch), so every worker computes the same
 * period for the same moment: the one digest per recipient per period is then a unique key.
 * Returns the end of the last completed period at `now`.
 */
export function digestPeriodEnd(now: Date, intervalMinutes: number): Date {
  const ms = intervalMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** The dedupe key of the one digest a recipient gets for the period ending at `periodEnd`. */
export function digestDedupeKey(userId: string, periodEnd: Date): string {
  return `digest:${periodEnd.toISOString()}:${userId}`;
}

/** The pending digest items of one recipient, as a store hands them to the digest builder. */
export interface DigestBatch {
  /**
   * Newest first, at most `maxItems`; of items created at the same moment the one added last counts as newer (a store
   * breaks the tie by the order it added them, never arbitrarily).
   */
  readonly listed: readonly Notification[];
  /** Every pending item before the period's end, listed or not. */
  readonly totalCount: number;
  readonly oldestCreatedAt: Date;
}

/**
 * Builds a digest's payload from the listed items (newest first, at most maxItems) and the total covered. The mail
 * lists them in the order they happened, so a recipient reads them as they occurred. The period starts one interval
 * before its end, or earlier when an item waited longer (a worker was down).
 */
export function digestPayload(batch: DigestBatch, periodEnd: Date, intervalMinutes: number): DigestPayload {
  const { listed, totalCount } = batch;
  const periodStart = new Date(Math.min(periodEnd.getTime() - intervalMinutes * 60_000, batch.oldestCreatedAt.getTime()));
  return {
    periodStart: periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    items: [...listed].reverse().map((n) => ({
      id: n.id,
      kind: n.kind,
      ...(n.topic !== undefined ? { topic: n.topic } : {}),
      payload: n.payload,
      createdAt: n.createdAt.toISOString(),
    })),
    totalCount,
    moreCount: totalCount - listed.length,
  };
}
