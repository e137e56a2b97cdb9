import type { Timers } from '../ports/clock';
import type { NotificationStore, Settlement } from '../ports/notification-store';

/** When settlements are written: by count or by age, whichever comes first. */
export interface SettlerSettings {
  /** Written at once when this many wait. */
  readonly maxBatch: number;
  /** Otherwise written when the oldest has waited this long: after a crash, a sent mail is unsettled no longer. */
  readonly maxDelayMs: number;
  /** Sends wait while this many are unsettled (a slow database): never send far past what can be settled. */
  readonly maxUnsettled: number;
}

export interface SettlerEvents {
  /** A batch is in the store. */
  readonly settled?: (batch: readonly Settlement[]) => void;
  /** The first write that failed since the last success: delivery pauses; the settlements are kept. */
  readonly failed?: (error: unknown, unsettled: readonly Settlement[]) => void;
  /** The first write that succeeded after a failure. */
  readonly recovered?: () => void;
}

/**
 * Writes settlements to the store as mails finish: group commit by count and by time, one write at a time.
 * A write that fails keeps its settlements (in order, before newer ones) and blocks: `admit()` then answers false,
 * so no further mail is sent while its outcome could not be recorded; `flush()` tries again. Nothing is dropped.
 */
export class Settler {
  private waiting: Settlement[] = [];
  private writingCount = 0;
  private writing: Promise<boolean> | undefined;
  private cancelTimer: (() => void) | undefined;
  private failure: { error: unknown } | undefined;
  private roomWaiters: (() => void)[] = [];

  constructor(
    private readonly store: NotificationStore,
    private readonly timers: Timers,
    private readonly settings: SettlerSettings,
    private readonly events: SettlerEvents = {},
  ) {}

  /** Settlements added and not yet in the store. */
  get unsettled(): number {
    return this.waiting.length + this.writingCount;
  }

  /** A write failed and none succeeded since: settlements wait in memory, sends must not go on. */
  get blocked(): boolean {
    return this.failure !== undefined;
  }

  add(settlement: Settlement): void {
    this.waiting.push(settlement);
    if (!this.blocked) this.schedule();
  }

  /**
   * Resolves true when a send may start: no write has failed, and fewer than `maxUnsettled` settlements wait
   * (else it waits for the write in progress). False while blocked.
   */
  async admit(): Promise<boolean> {
    while (!this.blocked && this.unsettled >= this.settings.maxUnsettled) {
      if (!this.writing) void this.write();
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    return !this.blocked;
  }

  /** Writes everything added so far. True when all of it is in the store; false when a write failed (kept). */
  async flush(): Promise<boolean> {
    while (this.unsettled > 0) {
      if (!(await (this.writing ?? this.write()))) return false;
    }
    return true;
  }

  private schedule(): void {
    if (this.writing) return; // the write in progress schedules the next one when it ends
    if (this.waiting.length >= this.settings.maxBatch) void this.write();
    else
      this.cancelTimer ??= this.timers.after(this.settings.maxDelayMs, () => {
        this.cancelTimer = undefined;
        if (!this.blocked && !this.writing) void this.write();
      });
  }

  /** One write of everything waiting; never rejects. */
  private write(): Promise<boolean> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const batch = this.waiting;
    if (batch.length === 0) return Promise.resolve(!this.blocked);
    this.waiting = [];
    this.writingCount = batch.length;
    const written = this.store.settle(batch).then(
      () => {
        const recovered = this.blocked;
        this.failure = undefined;
        quietly(() => this.events.settled?.(batch));
        if (recovered) quietly(() => this.events.recovered?.());
        return true;
      },
      (error: unknown) => {
        this.waiting = [...batch, ...this.waiting];
        const first = !this.blocked;
        this.failure = { error };
        if (first) quietly(() => this.events.failed?.(error, [...this.waiting]));
        return false;
      },
    );
    this.writing = written.finally(() => {
      this.writing = undefined;
      this.writingCount = 0;
      for (const wake of this.roomWaiters.splice(0)) wake();
      if (!this.blocked && this.waiting.length > 0) this.schedule();
    });
    return this.writing;
  }
}

/**
 * Tells a listener; one that throws must not turn a written batch into a failed one, nor a sent mail into a failed
 * send. Its error is its own to report (the app's listeners log theirs).
 */
export function quietly(tell: () => void): void {
  try {
    tell();
  } catch {
    // the listener's own problem; delivery and the settlements go on either way
  }
}
