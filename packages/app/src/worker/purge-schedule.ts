import type { PurgeOldNotifications, RetentionSettings } from '@mailroom/domain';
import type { Log } from '../logging/log';

/** The first purge after the worker starts waits this long, so start-up does not wait on it. */
export const FIRST_PURGE_DELAY_MS = 1_000;

/**
 * Runs retention on this node shortly after the worker starts and then every `retention.intervalMinutes`; on several
 * nodes, the one that takes the lock purges and the others skip that run. `stop()` ends a purge between two batches.
 */
export class PurgeSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private signal = { aborted: false };
  private started = false;
  /** When the last run began (epoch ms); the next is due an interval later. */
  private lastRunAt: number | undefined;

  constructor(
    private readonly retention: PurgeOldNotifications,
    private readonly logger: Log,
    private readonly firstDelayMs = FIRST_PURGE_DELAY_MS,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.signal = { aborted: false };
    this.schedule(this.firstDelayMs);
  }

  /** New retention settings (an admin changed them): a new interval counts from the last run. */
  reconfigure(settings: RetentionSettings): void {
    const before = this.retention.settings.intervalMinutes;
    this.retention.reconfigure(settings);
    if (!this.started || this.running || settings.intervalMinutes === before) return;
    this.schedule(this.lastRunAt === undefined ? this.firstDelayMs : this.lastRunAt + this.intervalMs() - Date.now());
  }

  /** No further runs; a run in progress stops after its current batch. Resolves once it has. */
  async stop(): Promise<void> {
    this.started = false;
    this.signal.aborted = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private intervalMs(): number {
    return this.retention.settings.intervalMinutes * 60_000;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.running = this.runOnce().finally(() => {
          this.running = undefined;
          if (this.started) this.schedule(this.intervalMs());
        });
      },
      Math.max(0, delayMs),
    );
    // The delivery loop keeps a worker's process alive, not this.
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    this.lastRunAt = Date.now();
    try {
      const report = await this.retention.run({ signal: this.signal });
      if (!report.ran) this.logger.debug('another node is purging old notifications; this node skips the run');
    } catch (error) {
      this.logger.error('purging old notifications failed; trying again at the next interval', { err: error });
    }
  }
}
