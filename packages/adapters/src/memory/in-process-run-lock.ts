import type { LockedRun, RunLock } from '@mailroom/domain';

/**
 * Jobs run one at a time within one process: the lock of the in-memory stores (share one instance between the parts
 * that stand for several nodes on one database).
 */
export class InProcessRunLock implements RunLock {
  private readonly running = new Set<string>();

  async tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>> {
    if (this.running.has(job)) return { ran: false };
    this.running.add(job);
    try {
      return { ran: true, result: await work() };
    } finally {
      this.running.delete(job);
    }
  }
}
