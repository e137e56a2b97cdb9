import { randomUUID } from 'node:crypto';
import type { Clock, IdSource, Timers } from '@mailroom/domain';

/** The machine's clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Random (v4) UUIDs. */
export class UuidIdSource implements IdSource {
  next(): string {
    return randomUUID();
  }
}

/** Node's timers, unreferenced: a pending settlement window or heartbeat never keeps a process alive. */
export class SystemTimers implements Timers {
  after(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  }
}
