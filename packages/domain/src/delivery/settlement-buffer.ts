import type { NotificationStore, Settlement } from '../ports/notification-store';

const TRIES = 3;

/**
 * Settles a run's mails in batches as they finish, not once at the end: a long run then does not leave mails
 * sent but unsettled for long (a crash re-sends only a small tail), and a database blip is retried before the
 * mails are left `sending` (they would then be claimed and sent again once their lease runs out).
 */
export class SettlementBuffer {
  private pending: Settlement[] = [];
  private chain: Promise<void> = Promise.resolve();
  readonly all: Settlement[] = [];

  constructor(
    private readonly store: NotificationStore,
    private readonly flushEvery: number,
    /** Told about each batch once it is settled in the store (the worker logs one line per mail from it). */
    private readonly onSettled?: (settlements: readonly Settlement[]) => void,
  ) {}

  add(settlement: Settlement): void {
    this.pending.push(settlement);
    this.all.push(settlement);
    // A failure is reported by the run's final flush; until then it must not surface as an unhandled rejection.
    if (this.pending.length >= this.flushEvery) this.flush().catch(() => undefined);
  }

  /** Settles what is pending (after earlier flushes); resolves when everything added so far is settled. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.chain = this.chain.then(() => this.settle(batch));
    return this.chain;
  }

  private async settle(batch: readonly Settlement[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.settle(batch);
        this.onSettled?.(batch);
        return;
      } catch (error) {
        if (attempt >= TRIES) throw error;
      }
    }
  }
}
