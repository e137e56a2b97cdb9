import type { Clock, DeliverDue, DeliveryReport, NotificationStore, SendDigests, Settlement } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { Wakeups } from './wakeups';

/** Shortest sleep after a run that claimed nothing. */
const MIN_IDLE_MS = 50;
/**
 * Batches one delivery run may claim, the next while the last mails of the previous are in flight, so the SMTP
 * pool never idles for a claim round trip between batches (bench: about 8% of the delivery time before).
 */
const CLAIM_AHEAD_BATCHES = 10;

export interface WorkerSettings {
  readonly batchSize: number;
  /** Longest sleep between looks at the outbox when no wake-up arrives. */
  readonly pollIntervalMs: number;
}

/**
 * The delivery loop and the digest scheduler of one process. Wakes on new mail, polls as a fallback,
 * sleeps no longer than until the next retry is due, and stops gracefully: the batch in flight finishes
 * its sends, unsent mails go back to pending, and the loop's promise resolves.
 */
export class Worker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeSleeper: (() => void) | undefined;
  private stopSleeper: (() => void) | undefined;
  private woken = false;
  private digestTimer: NodeJS.Timeout | undefined;
  private digestRun: Promise<void> | undefined;
  private readonly signal = { aborted: false };

  constructor(
    private readonly deliverDue: DeliverDue,
    private readonly digests: SendDigests,
    private readonly store: NotificationStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: WorkerSettings,
    wakeups: Wakeups,
  ) {
    wakeups.onWake(() => this.wake());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.signal.aborted = false;
    this.loop = this.deliveryLoop();
    this.scheduleDigests(0);
  }

  /** Wakes the delivery loop now (new mail). */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal.aborted = true;
    clearTimeout(this.digestTimer);
    this.stopSleeper?.();
    await Promise.all([this.loop, this.digestRun]);
  }

  private async deliveryLoop(): Promise<void> {
    while (this.running) {
      let report: DeliveryReport;
      try {
        this.woken = false;
        report = await this.deliverDue.run(this.settings.batchSize, {
          signal: this.signal,
          maxBatches: CLAIM_AHEAD_BATCHES,
          onSettled: (settlements) => this.logSettlements(settlements),
        });
      } catch (error) {
        this.logger.error({ err: error }, 'delivery run failed; retrying after the poll interval');
        if (this.running) await this.sleep(this.settings.pollIntervalMs, false);
        continue;
      }
      if (!this.running) break;
      if (report.notBefore) {
        // Quota spent or delivery stopped: new mail cannot change that, so wake-ups do not cut this sleep short.
        await this.sleep(report.notBefore.getTime() - this.clock.now().getTime(), false);
        continue;
      }
      // A full batch means more is probably due: go on at once.
      if (report.full && report.released === 0) continue;
      if (this.woken) continue;
      let ms = await this.sleepMs();
      // Nothing claimed although mail looks due (other workers hold it): never ask again at once.
      if (report.claimed === 0) ms = Math.max(ms, MIN_IDLE_MS);
      // A wake-up that came while the database was asked would otherwise be lost until the poll interval.
      if (this.woken) continue;
      await this.sleep(ms);
    }
  }

  private async sleepMs(): Promise<number> {
    try {
      const next = await this.store.nextDueAt();
      if (!next) return this.settings.pollIntervalMs;
      return Math.max(0, Math.min(this.settings.pollIntervalMs, next.getTime() - this.clock.now().getTime()));
    } catch {
      return this.settings.pollIntervalMs; // the next run reports the database error
    }
  }

  /** Sleeps `ms`; `stop()` always ends it early, a wake-up only when `wakeable`. */
  private sleep(ms: number, wakeable = true): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeSleeper = undefined;
        self.stopSleeper = undefined;
        resolve();
      }
      this.stopSleeper = done;
      if (wakeable) this.wakeSleeper = done;
    });
  }

  private scheduleDigests(delayMs: number): void {
    if (!this.running) return;
    this.digestTimer = setTimeout(() => {
      this.digestRun = this.runDigests().finally(() => {
        this.digestRun = undefined;
        // A second past the period's end, so every item of the period is in.
        this.scheduleDigests(Math.max(1000, this.digests.nextRunAt().getTime() - this.clock.now().getTime() + 1000));
      });
    }, delayMs);
  }

  private async runDigests(): Promise<void> {
    try {
      const { digests, periodEnd, failures } = await this.digests.run();
      for (const f of failures) {
        this.logger.error({ err: f.error, recipients: f.userIds.length, first: f.userIds[0] }, 'digests of some recipients failed; they are tried again at the next period');
      }
      if (digests > 0) {
        this.logger.info({ digests, periodEnd: periodEnd.toISOString() }, 'digests created');
        this.wake();
      }
    } catch (error) {
      this.logger.error({ err: error }, 'digest run failed; trying again at the next period');
    }
  }

  private logSettlements(settlements: readonly Settlement[]): void {
    for (const s of settlements) {
      switch (s.type) {
        case 'sent':
          this.logger.info({ id: s.id, messageId: s.messageId, ...(s.error ? { note: s.error.message } : {}) }, 'mail sent');
          break;
        case 'retry':
          this.logger.warn({ id: s.id, code: s.error.code, responseCode: s.error.responseCode, retryAt: s.nextAttemptAt.toISOString(), reason: s.error.message }, 'mail will be retried');
          break;
        case 'dead':
          this.logger.error({ id: s.id, code: s.error.code, responseCode: s.error.responseCode, reason: s.error.message }, 'mail dead-lettered');
          break;
        case 'release':
          if (s.error) this.logger.error({ id: s.id, code: s.error.code, reason: s.error.message, retryAt: s.nextAttemptAt.toISOString() }, 'delivery stopped; mail kept pending');
          break;
      }
    }
  }
}
