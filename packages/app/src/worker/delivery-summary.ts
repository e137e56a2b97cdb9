import type { DeliveryReport } from '@mailroom/domain';
import { performance } from 'node:perf_hooks';
import type { Log } from '../logging/log';

/** How long delivery runs add up before their line. */
export const SUMMARY_INTERVAL_MS = 10_000;

interface Totals {
  runs: number;
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  released: number;
  unsettled: number;
  busyMs: number;
  readonly startedAt: number;
}

/**
 * The delivery's one line at `info`: the runs of `intervalMs` add up into one `delivery summary` — a burst of 20 000
 * mails is a few lines, and mail that trickles in one at a time (a run per mail) is a line per interval, not one per
 * mail. Each failure has its own line at `warn` or `error` (delivery-log) at once; this only counts it.
 */
export class DeliverySummary {
  private totals: Totals | undefined;

  constructor(
    private readonly logger: Log,
    private readonly intervalMs = SUMMARY_INTERVAL_MS,
  ) {}

  /** A run that claimed mail; `busyMs` is how long it took. */
  add(report: DeliveryReport, busyMs: number): void {
    const t = (this.totals ??= {
      runs: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
      dead: 0,
      released: 0,
      unsettled: 0,
      busyMs: 0,
      startedAt: performance.now(),
    });
    t.runs++;
    t.claimed += report.claimed;
    t.sent += report.sent;
    t.failed += report.retried;
    t.dead += report.dead;
    t.released += report.released;
    // A state, not a count: what waits for the database after the last run.
    t.unsettled = report.unsettled;
    t.busyMs += busyMs;
  }

  /** How long until the line is due (Infinity with nothing to write): the worker sleeps no longer than that. */
  dueInMs(): number {
    return this.totals === undefined ? Infinity : Math.max(0, this.totals.startedAt + this.intervalMs - performance.now());
  }

  /** Writes the line once the interval has passed since its first run (after every run, an empty one too), or now with `force` (the worker stops). */
  flush(force = false): void {
    const t = this.totals;
    if (t === undefined) return;
    const periodMs = Math.round(performance.now() - t.startedAt);
    if (!force && periodMs < this.intervalMs) return;
    this.totals = undefined;
    const { runs, claimed, sent, failed, dead, released, unsettled } = t;
    this.logger.info('delivery summary', {
      runs,
      claimed,
      sent,
      failed,
      dead,
      released,
      ...(unsettled > 0 ? { unsettled } : {}),
      busyMs: Math.round(t.busyMs),
      periodMs,
    });
  }
}
