import type { Clock, DeliveryError, DeliveryListener, Settlement } from '@mailroom/domain';

/** A failure as health reports it: what the row keeps, and when. */
export interface ObservedFailure extends DeliveryError {
  readonly at: Date;
}

/** What this process's delivery went through lately, beyond what `DeliverDue.health()` holds. */
export interface DeliveryActivity {
  readonly lastSentAt?: Date;
  /** The last failure that may pass (a retry, or a dead letter after the last attempt): kept after delivery recovers. */
  readonly lastError?: ObservedFailure;
  /** Failures of sends and no mail accepted since this instant (the first of them): the server is likely unreachable. */
  readonly failingSince?: Date;
  /** Failures since `failingSince`. */
  readonly failures: number;
  /** Delivery outcomes cannot be written to the database: nothing is sent until they are. */
  readonly paused?: { readonly since: Date; readonly reason: string; readonly code?: string };
  readonly deadLetters: {
    /** Dead-lettered within the last `windowMinutes`. */
    readonly recent: number;
    readonly windowMinutes: number;
    /** Dead-lettered since this process started delivering. */
    readonly sinceStart: number;
    readonly last?: ObservedFailure & { readonly id: string };
  };
}

const DEFAULT_WINDOW_MINUTES = 60;
/** Enough to count an hour of a broken server's dead letters; beyond it the count says "at least". */
const MAX_KEPT = 10_000;

/**
 * Listens to delivery and keeps what `health()` reports: the last transient failure and since when nothing went
 * out, the dead letters of the last hour, and a pause for the database. In memory, per process: each worker
 * reports its own delivery.
 */
export class DeliveryMonitor {
  private lastSentAt: Date | undefined;
  private lastError: ObservedFailure | undefined;
  private failingSince: Date | undefined;
  private failures = 0;
  private paused: DeliveryActivity['paused'];
  private readonly deadAt: number[] = [];
  private deadSinceStart = 0;
  private lastDead: (ObservedFailure & { id: string }) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly windowMinutes = DEFAULT_WINDOW_MINUTES,
  ) {}

  readonly listener: DeliveryListener = {
    accepted: () => {
      this.lastSentAt = this.clock.now();
      this.failingSince = undefined;
      this.failures = 0;
    },
    settled: (batch) => {
      for (const s of batch) this.observe(s);
    },
    settlementFailed: (error) => {
      const e = error as { message?: string; code?: string };
      this.paused ??= { since: this.clock.now(), reason: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) };
    },
    settlementRecovered: () => {
      this.paused = undefined;
    },
  };

  activity(): DeliveryActivity {
    const now = this.clock.now().getTime();
    this.prune(now);
    return {
      ...(this.lastSentAt ? { lastSentAt: this.lastSentAt } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.failingSince ? { failingSince: this.failingSince } : {}),
      failures: this.failures,
      ...(this.paused ? { paused: this.paused } : {}),
      deadLetters: {
        recent: this.deadAt.length,
        windowMinutes: this.windowMinutes,
        sinceStart: this.deadSinceStart,
        ...(this.lastDead ? { last: this.lastDead } : {}),
      },
    };
  }

  private observe(s: Settlement): void {
    const at = this.clock.now();
    if (s.type === 'retry') this.failed({ ...s.error, at });
    if (s.type !== 'dead') return;
    this.deadSinceStart++;
    this.deadAt.push(at.getTime());
    if (this.deadAt.length > MAX_KEPT) this.deadAt.shift();
    this.lastDead = { id: s.id, ...s.error, at };
    // A mail that gave up after its last attempt failed like the retries before it; a permanent refusal (550 no such
    // mailbox) or a broken template is the mail's own problem, not the way out.
    if (s.error.code.startsWith('SEND.TRANSIENT')) this.failed({ ...s.error, at });
  }

  private failed(failure: ObservedFailure): void {
    this.lastError = failure;
    this.failingSince ??= failure.at;
    this.failures++;
  }

  private prune(now: number): void {
    const from = now - this.windowMinutes * 60_000;
    while (this.deadAt.length > 0 && this.deadAt[0]! < from) this.deadAt.shift();
  }
}
