import type { Wakeups } from '@mailroom/domain';

/** Wake-ups within one process: `notify()` in this process wakes this process's worker. */
export class InProcessWakeups implements Wakeups {
  private readonly listeners = new Set<() => void>();

  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  wake(): void {
    for (const listener of [...this.listeners]) listener();
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
