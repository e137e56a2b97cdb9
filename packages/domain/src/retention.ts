import { MailroomError } from './errors';
import type { NotificationStatus } from './notification';

/** The statuses retention purges: the final ones. A pending or sending row is never purged, however old. */
export type PurgeableStatus = Extract<NotificationStatus, 'sent' | 'dead' | 'digested' | 'skipped' | 'suppressed'>;

/** Every purgeable status, in the order a purge takes them (dead letters last: an admin may still want them). */
export const PURGEABLE_STATUSES: readonly PurgeableStatus[] = ['sent', 'digested', 'skipped', 'suppressed', 'dead'];

/** Days a row of each final status is kept once it is old; 0 keeps that status forever. */
export type RetentionDays = Readonly<Record<PurgeableStatus, number>>;

/** How long final rows are kept and how they are purged (`retention.*` in the configuration). */
export interface RetentionSettings {
  /**
   * Per status, the days a row is kept after it was last due — created, or retried (by the worker or an admin) — so a
   * dead letter an admin retried starts its days again. 0: kept forever.
   */
  readonly days: RetentionDays;
  /** Minutes between two purges on a node; the first runs shortly after the worker starts. */
  readonly intervalMinutes: number;
  /** Rows one delete statement removes at most: short statements, short row locks. */
  readonly batchSize: number;
  /** Wait between two delete statements, so a large purge never holds the table's I/O for long. */
  readonly pauseMs: number;
}

/** The longest a status may be kept and still be purged (100 years); 0 keeps it forever. */
export const MAX_RETENTION_DAYS = 36_500;

/**
 * Sent mails, digest items, skipped and suppressed notifications 30 days; dead letters 90 (an admin may retry them
 * after fixing the cause). Purged every hour, 1 000 rows a statement, 100 ms apart.
 */
export const DEFAULT_RETENTION: RetentionSettings = {
  days: { sent: 30, digested: 30, skipped: 30, suppressed: 30, dead: 90 },
  intervalMinutes: 60,
  batchSize: 1000,
  pauseMs: 100,
};

/** The bounds of the retention settings other than the days (whole numbers), for this check and the configuration's schema. */
export const RETENTION_BOUNDS = {
  intervalMinutes: { min: 1, max: 7 * 24 * 60 },
  batchSize: { min: 1, max: 100_000 },
  pauseMs: { min: 0, max: 60_000 },
} as const;

/** Retention settings within their bounds, or a `CONFIG.RETENTION` error naming the setting. */
export function checkRetentionSettings(s: RetentionSettings): RetentionSettings {
  const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  for (const status of PURGEABLE_STATUSES) {
    const days = s.days[status];
    if (!whole(days, 0, MAX_RETENTION_DAYS)) {
      throw new MailroomError(
        'CONFIG.RETENTION',
        `retention.days.${status} must be a whole number from 0 (keep forever) to ${MAX_RETENTION_DAYS} (got ${days}).`,
      );
    }
  }
  for (const [name, { min, max }] of Object.entries(RETENTION_BOUNDS)) {
    const value = s[name as keyof typeof RETENTION_BOUNDS];
    if (!whole(value, min, max)) {
      throw new MailroomError('CONFIG.RETENTION', `retention.${name} must be a whole number from ${min} to ${max} (got ${value}).`);
    }
  }
  return s;
}

/** The instant before which a row of a status kept `days` days is old at `now`; undefined when kept forever. */
export function retentionCutoff(now: Date, days: number): Date | undefined {
  return days === 0 ? undefined : new Date(now.getTime() - days * 24 * 60 * 60_000);
}
