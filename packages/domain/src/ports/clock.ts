/** The time, injected so every rule about time is tested with a fake clock. */
export interface Clock {
  now(): Date;
}

/** New unique ids for notifications (UUIDs in production). */
export interface IdSource {
  next(): string;
}
