import { MailroomError, NotFoundError, ValidationError } from '../errors';
import type { Notification, NotificationStatus } from '../notification';
import type { Clock } from '../ports/clock';
import type { NotificationQuery, NotificationStore } from '../ports/notification-store';
import type { PurgeOldNotifications, PurgeOptions, PurgeReport } from './purge-old-notifications';

/** How far a long outbox operation has come. */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

/** Options of `Outbox.retryDead`. */
export interface RetryOptions {
  /** Dead letters per batch when retrying all. Default 1 000. */
  readonly batchSize?: number;
  /** Told after each batch (and once before the first). */
  readonly onProgress?: (progress: Progress) => void;
}

/** What an admin sees of and does with the outbox. */
export class Outbox {
  constructor(
    private readonly store: NotificationStore,
    private readonly clock: Clock,
    /** Retention, for `purge`; without it `purge` is refused. */
    private readonly retention?: PurgeOldNotifications,
  ) {}

  /**
   * Puts dead letters back in line with fresh attempts. Unknown or not-dead ids are named in the error.
   * 'all' goes in batches of `batchSize` (default 1 000), each committed on its own and reported to
   * `onProgress`: workers start sending the first batch while the rest follows, and an interrupted retry
   * keeps what it did (run it again for the rest).
   */
  async retryDead(ids: readonly string[] | 'all', options: RetryOptions = {}): Promise<number> {
    if (ids !== 'all') {
      // Checked at run time too: JavaScript callers (and the CLI) pass whatever they were given.
      const given: unknown = ids;
      if (!Array.isArray(given) || given.some((id: unknown) => typeof id !== 'string' || id === '')) {
        throw new ValidationError(
          'OUTBOX.INVALID_IDS',
          [{ field: 'ids', problem: 'must be "all" or a list of notification ids' }],
          'Invalid retry',
        );
      }
      const found = await Promise.all(ids.map((id) => this.store.get(id)));
      const notDead = ids.filter((id, i) => found[i]?.status !== 'dead');
      if (notDead.length > 0) {
        throw new NotFoundError(
          'OUTBOX.NOT_DEAD',
          `These notifications are not dead letters (or do not exist): ${notDead.join(', ')}. List them with status "dead" first.`,
        );
      }
    }
    if (ids !== 'all') return this.store.retryDead(ids, this.clock.now());
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValidationError(
        'OUTBOX.INVALID_BATCH',
        [{ field: 'batchSize', problem: 'must be a whole number of 1 or more' }],
        'Invalid retry',
      );
    }
    const total = (await this.store.countByStatus()).dead;
    let done = 0;
    let after: string | undefined;
    options.onProgress?.({ done, total });
    for (;;) {
      const batch = await this.store.retryDeadBatch(after, batchSize, this.clock.now());
      done += batch.count;
      after = batch.last;
      // New dead letters may arrive meanwhile: the total grows rather than `done` passing it.
      if (batch.count > 0) options.onProgress?.({ done, total: Math.max(total, done) });
      if (batch.count < batchSize) return done;
    }
  }

  /**
   * Purges old rows now, as the worker does every `retention.intervalMinutes`: rows of each final status older than
   * its `retention.days`, in batches, on one node at a time (`ran` is false when another node was purging). With
   * `dryRun`, counts them and deletes nothing.
   */
  purge(options: Omit<PurgeOptions, 'signal'> = {}): Promise<PurgeReport> {
    if (!this.retention) {
      return Promise.reject(
        new MailroomError('OUTBOX.NO_RETENTION', 'This outbox was built without retention: pass a PurgeOldNotifications.'),
      );
    }
    return this.retention.run(options);
  }

  /** How many notifications there are in each status. */
  counts(): Promise<Record<NotificationStatus, number>> {
    return this.store.countByStatus();
  }

  /** Notifications matching the query, newest first, one page. */
  list(query: NotificationQuery): Promise<Notification[]> {
    return this.store.find(query);
  }

  /** One notification by id; a `NotFoundError` (`OUTBOX.NOT_FOUND`) when there is none. */
  async get(id: string): Promise<Notification> {
    const n = await this.store.get(id);
    if (!n) throw new NotFoundError('OUTBOX.NOT_FOUND', `No notification with id ${id}.`);
    return n;
  }
}
