/**
 * A sending budget per minute shared by every worker (Exchange Online allows 30 messages a minute per
 * mailbox). Kept in the database in production so it holds across processes.
 */
export interface SendQuota {
  /** Takes up to `wanted` sends from the budget of the minute containing `now`; returns how many were granted. */
  take(now: Date, wanted: number): Promise<number>;
  /** Returns sends that were granted but not used (fewer mails were due). */
  giveBack(now: Date, unused: number): Promise<void>;
}

/** Stops a run early: mails not yet sent go back to pending without spending an attempt. */
export interface StopSignal {
  readonly aborted: boolean;
}
