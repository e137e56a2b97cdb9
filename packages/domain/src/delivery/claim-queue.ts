import type { Notification } from '../notification';

/** What one claim returned: the mails, and whether it got all it asked for (more is probably due). */
export interface ClaimedBatch {
  readonly mails: readonly Notification[];
  readonly full: boolean;
}

export interface ClaimQueueOptions {
  /** Batches one run may claim in all. */
  readonly maxBatches: number;
  /** Sends in flight at once: when no more than these are left unsent, the next batch is claimed. */
  readonly inFlight: number;
  /** Claims the next batch; undefined when nothing may be claimed now (the minute's quota is spent). */
  readonly claimMore: () => Promise<ClaimedBatch | undefined>;
  /** Whether claiming ahead still makes sense (delivery not stopped, no shutdown, outcomes being written). */
  readonly mayClaimMore: () => boolean;
}

/**
 * The mails of one delivery run, claimed batch after batch: once only the mails in flight are left of what was
 * claimed, the next batch is claimed, so the sends never wait a claim round trip between batches.
 */
export class ClaimQueue {
  private readonly mails: Notification[];
  private taken = 0;
  private batches = 1;
  private lastFull: boolean;
  private ahead: Promise<void> | undefined;

  constructor(
    first: ClaimedBatch,
    private readonly options: ClaimQueueOptions,
  ) {
    this.mails = [...first.mails];
    this.lastFull = first.full;
  }

  /** Mails claimed so far in this run. */
  get claimed(): number {
    return this.mails.length;
  }

  /** The last claim got all it asked for: more is probably due. */
  get full(): boolean {
    return this.lastFull;
  }

  /** The next mail to send; undefined when every claimed mail was handed out and no claim is in progress. */
  async next(): Promise<Notification | undefined> {
    for (;;) {
      if (this.taken < this.mails.length) {
        const n = this.mails[this.taken++]!;
        if (this.mails.length - this.taken <= this.options.inFlight) this.claimAhead();
        return n;
      }
      if (!this.ahead) return undefined;
      await this.ahead;
    }
  }

  private claimAhead(): void {
    if (!this.lastFull || this.batches >= this.options.maxBatches || this.ahead || !this.options.mayClaimMore()) return;
    this.batches++;
    this.ahead = this.options
      .claimMore()
      .then(
        (more) => {
          this.lastFull = more?.full ?? false;
          if (more) this.mails.push(...more.mails);
        },
        // A claim that fails here ends the run after what it holds; the next run's claim meets (and reports) the error.
        () => void (this.lastFull = false),
      )
      .finally(() => (this.ahead = undefined));
  }
}
