import type { SendQuota } from '@mailroom/domain';

/** A per-minute sending budget for one process (the Postgres quota holds across processes). */
export class InMemorySendQuota implements SendQuota {
  private minute = -1;
  private used = 0;

  constructor(private readonly perMinute: number) {}

  async take(now: Date, wanted: number): Promise<number> {
    this.roll(now);
    const granted = Math.max(0, Math.min(wanted, this.perMinute - this.used));
    this.used += granted;
    return granted;
  }

  async giveBack(now: Date, unused: number): Promise<void> {
    this.roll(now);
    this.used = Math.max(0, this.used - unused);
  }

  private roll(now: Date): void {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.used = 0;
    }
  }
}
