import type { SendQuota } from '@mailroom/domain';

/**
 * The per-minute sending budget at the rate in effect: none (every send granted) without a rate, a new quota when
 * an admin changes it. Sends given back go to the quota that granted them while it is still the one in use.
 */
export class LiveSendQuota implements SendQuota {
  private quota: SendQuota | undefined;
  private perMinute: number | undefined;

  constructor(
    private readonly quotaFor: (perMinute: number) => SendQuota,
    perMinute: number | undefined,
  ) {
    this.reconfigure(perMinute);
  }

  /** The rate in effect, undefined when unlimited. */
  get rate(): number | undefined {
    return this.perMinute;
  }

  reconfigure(perMinute: number | undefined): void {
    if (perMinute === this.perMinute && (perMinute === undefined) === (this.quota === undefined)) return;
    this.perMinute = perMinute;
    this.quota = perMinute ? this.quotaFor(perMinute) : undefined;
  }

  take(now: Date, wanted: number): Promise<number> {
    return this.quota ? this.quota.take(now, wanted) : Promise.resolve(wanted);
  }

  giveBack(now: Date, unused: number): Promise<void> {
    return this.quota ? this.quota.giveBack(now, unused) : Promise.resolve();
  }
}
