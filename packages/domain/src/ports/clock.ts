/** The time, injected so every rule about time is tested with a fake clock. */
export interface Clock {
  now(): Date;
}

/** New unique ids for notifications (UUIDs in production). */
export interface IdSource {
  next(): string;
}

/**
 * Real-time timers for what must happen after a delay whatever else is going on (a settlement window, a lease
 * heartbeat). Injected: the domain declares no host globals.
 */
export interface Timers {
  /** Calls `fn` once after `ms`; returns the function that cancels it. The timer never keeps a process alive. */
  after(ms: number, fn: () => void): () => void;
}
