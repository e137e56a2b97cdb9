/**
 * Tells workers that new mail was added, so they need not wait for their next poll: PostgreSQL's LISTEN/NOTIFY
 * across processes, or in memory for one process; workers poll as well: a wake-up is a shortcut, never the only way.
 */
export interface Wakeups {
  /** Calls `listener` on every wake-up; returns the function that stops it. */
  onWake(listener: () => void): () => void;
  /**
   * Calls `listener` when another node saved changed settings (and once after a lost connection is back, for a change
   * it may have missed); returns the function that stops it. Absent where one process is all there is.
   */
  onSettingsChanged?(listener: () => void): () => void;
  close(): Promise<void>;
}
