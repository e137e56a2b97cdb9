import type { Clock, Timers } from '../ports/clock';
import type { NotificationStore, PurgeCursor } from '../ports/notification-store';
import type { RunLock } from '../ports/run-lock';
import type { StopSignal } from '../ports/send-quota';
import {
  checkRetentionSettings,
  PURGEABLE_STATUSES,
  retentionCutoff,
  type PurgeableStatus,
  type RetentionDays,
  type RetentionSettings,
} from '../retention';

/** The job name retention runs under: one node of the cluster purges at a time. */
export const PURGE_JOB = 'purge-old-notifications';

/** Rows per final status: what a purge deleted (or, in a dry run, would delete). */
export type PurgeCounts = Readonly<Record<PurgeableStatus, number>>;

/** What one purge did. */
export interface PurgeReport {
  /** False when another node was purging at that moment: this run did nothing (its next run will). */
  readonly ran: boolean;
  /** A dry run counts what would be purged and deletes nothing. */
  readonly dryRun: boolean;
  /** Rows purged per status (a dry run: rows that would be). */
  readonly purged: PurgeCounts;
  /** Every status together. */
  readonly total: number;
  /** Delete statements run (none in a dry run). */
  readonly batches: number;
  /** The days each status was kept for, as this run read them (0: kept forever). */
  readonly days: RetentionDays;
  /** Per status kept for a limited time, the cut-off: rows last due before it are old. A status kept forever is absent. */
  readonly cutoffs: Readonly<Partial<Record<PurgeableStatus, Date>>>;
  /** The run stopped between two batches (the worker is stopping); the next run purges the rest. */
  readonly interrupted: boolean;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** How often a pause between batches looks whether the worker is stopping. */
const PAUSE_SLICE_MS = 250;

/** Told about purges: for logs and metrics. Dry runs and runs that did not run (another node purged) are not told. */
export interface PurgeListener {
  /** After each delete statement: its status and how many rows it removed. */
  batchPurged?(status: PurgeableStatus, count: number): void;
  /** After each purge that ran. */
  purged?(report: PurgeReport): void;
  /** One of the calls above threw (a host's metric, say): the purge went on; the error is told here, once each. */
  listenerFailed?(error: unknown): void;
}

/** Options of one purge. */
export interface PurgeOptions {
  /** Count what would be purged; delete nothing. Needs no lock. */
  readonly dryRun?: boolean;
  /** Checked between batches: once aborted, the purge stops and reports what it did. */
  readonly signal?: StopSignal;
}

/**
 * Retention: deletes rows of a final status (sent, digested, skipped, suppressed, dead) older than their status's
 * days, so the outbox does not grow forever. Small batches (`batchSize` rows, one short statement each, `pauseMs`
 * apart), on one node at a time (`RunLock`; the others skip the run). Pending and sending rows are never touched,
 * and a digested item stays while its digest mail is pending or sending — though that mail would not need it: a
 * digest renders from its own payload, a snapshot of its items.
 */
export class PurgeOldNotifications {
  private current: RetentionSettings;

  constructor(
    private readonly store: NotificationStore,
    private readonly lock: RunLock,
    private readonly clock: Clock,
    private readonly timers: Timers,
    settings: RetentionSettings,
    private readonly listener: PurgeListener = {},
  ) {
    this.current = checkRetentionSettings(settings);
  }

  get settings(): RetentionSettings {
    return this.current;
  }

  /** New days, interval or batch size (an admin changed them): the next run uses them. */
  reconfigure(settings: RetentionSettings): void {
    this.current = checkRetentionSettings(settings);
  }

  /** Purges what is old now (see the class); with `dryRun`, counts it. */
  async run(options: PurgeOptions = {}): Promise<PurgeReport> {
    const startedAt = this.clock.now();
    const { days } = this.current;
    const cutoffs = this.cutoffs(startedAt);
    if (options.dryRun) {
      const purged = zero();
      for (const [status, before] of entries(cutoffs)) purged[status] = await this.store.countPurgeable(status, before);
      return report(days, {
        ran: true,
        dryRun: true,
        purged,
        batches: 0,
        cutoffs,
        interrupted: false,
        startedAt,
        finishedAt: this.clock.now(),
      });
    }
    const ran = await this.lock.tryRun(PURGE_JOB, () => this.purge(days, cutoffs, startedAt, options.signal));
    if (!ran.ran) {
      return report(days, {
        ran: false,
        dryRun: false,
        purged: zero(),
        batches: 0,
        cutoffs,
        interrupted: false,
        startedAt,
        finishedAt: startedAt,
      });
    }
    this.tell(() => this.listener.purged?.(ran.result));
    return ran.result;
  }

  private async purge(
    days: RetentionDays,
    cutoffs: Partial<Record<PurgeableStatus, Date>>,
    startedAt: Date,
    signal: StopSignal | undefined,
  ): Promise<PurgeReport> {
    const { batchSize, pauseMs } = this.current;
    const purged = zero();
    let batches = 0;
    let interrupted = false;
    /** The last statement deleted rows: the next one waits `pauseMs` (one that found nothing cost next to nothing). */
    let deleted = false;
    statuses: for (const [status, before] of entries(cutoffs)) {
      let after: PurgeCursor | undefined;
      for (;;) {
        if (deleted && pauseMs > 0 && !signal?.aborted) await this.pause(pauseMs, signal);
        if (signal?.aborted) {
          interrupted = true;
          break statuses;
        }
        const batch = await this.store.purgeBatch({ status, before, limit: batchSize, ...(after ? { after } : {}) });
        batches++;
        deleted = batch.count > 0;
        purged[status] += batch.count;
        if (batch.count > 0) this.tell(() => this.listener.batchPurged?.(status, batch.count));
        if (batch.count < batchSize || !batch.last) break;
        after = batch.last;
      }
    }
    return report(days, { ran: true, dryRun: false, purged, batches, cutoffs, interrupted, startedAt, finishedAt: this.clock.now() });
  }

  private cutoffs(now: Date): Partial<Record<PurgeableStatus, Date>> {
    const out: Partial<Record<PurgeableStatus, Date>> = {};
    for (const status of PURGEABLE_STATUSES) {
      const before = retentionCutoff(now, this.current.days[status]);
      if (before) out[status] = before;
    }
    return out;
  }

  /** Waits `ms`, or less once `signal` is aborted (looked at every `PAUSE_SLICE_MS`): a stop does not wait out a long pause. */
  private async pause(ms: number, signal: StopSignal | undefined): Promise<void> {
    for (let left = ms; left > 0 && !signal?.aborted; left -= PAUSE_SLICE_MS) {
      await new Promise<void>((resolve) => this.timers.after(Math.min(left, PAUSE_SLICE_MS), resolve));
    }
  }

  /** A listener's failure must not stop the purge halfway (nor lose its report). */
  private tell(call: () => void): void {
    try {
      call();
    } catch (error) {
      try {
        this.listener.listenerFailed?.(error);
      } catch {
        // The listener's own error report failed as well: nothing is left to tell it to.
      }
    }
  }
}

function zero(): Record<PurgeableStatus, number> {
  return { sent: 0, digested: 0, skipped: 0, suppressed: 0, dead: 0 };
}

/** The statuses with a cut-off, in the order a purge takes them. */
function entries(cutoffs: Partial<Record<PurgeableStatus, Date>>): [PurgeableStatus, Date][] {
  return PURGEABLE_STATUSES.flatMap((status) => (cutoffs[status] ? [[status, cutoffs[status]] as [PurgeableStatus, Date]] : []));
}

function report(days: RetentionDays, r: Omit<PurgeReport, 'total' | 'days'>): PurgeReport {
  return { ...r, days, total: PURGEABLE_STATUSES.reduce((sum, s) => sum + r.purged[s], 0) };
}
