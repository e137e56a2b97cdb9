import { randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '@mailroom/domain';

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
