/** Tells the worker that new mail was added (Postgres LISTEN/NOTIFY, or in-process). It polls as well. */
export interface Wakeups {
  onWake(listener: () => void): void;
  close(): Promise<void>;
}

/** Wake-ups within one process: `notify()` in this process wakes this process's worker. */
export class LocalWakeups implements Wakeups {
  private readonly listeners: (() => void)[] = [];

  onWake(listener: () => void): void {
    this.listeners.push(listener);
  }

  wake(): void {
    for (const l of this.listeners) l();
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
  }
}
