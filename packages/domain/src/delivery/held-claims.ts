import type { Notification } from '../notification';
import type { Clock, Timers } from '../ports/clock';
import type { ClaimRef, NotificationStore, Settlement } from '../ports/notification-store';

interface HeldClaim {
  readonly ref: ClaimRef;
  leaseUntil: number;
  /** Another worker took it over, or it was settled elsewhere: it must not be sent. */
  lost: boolean;
  /** Its settlement is added (not yet in the store): nothing more to decide about it. */
  settling: boolean;
}

/**
 * The claims one worker holds, from the claim until their settlement is in the store. While any is held, a
 * heartbeat every third of the lease extends their leases, so a slow send keeps its claim and a short lease
 * still hands a dead worker's mails to another worker soon.
 */
export class HeldClaims {
  private readonly claims = new Map<string, HeldClaim>();
  private cancelHeartbeat: (() => void) | undefined;

  constructor(
    private readonly store: NotificationStore,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly leaseMs: number,
    /** Told when a heartbeat could not reach the store (the leases then run out as claimed). */
    private readonly heartbeatFailed?: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.claims.size;
  }

  hold(mails: readonly Notification[]): void {
    for (const n of mails) {
      this.claims.set(n.id, { ref: { id: n.id, claim: n.claim }, leaseUntil: n.leaseUntil?.getTime() ?? 0, lost: false, settling: false });
    }
    this.armHeartbeat();
  }

  /**
   * Whether the mail may be sent now: still held by this worker, and its claim not about to run out (another worker
   * may claim it any moment then, and sending it could send it twice).
   */
  maySend(n: Notification, now: Date): boolean {
    const held = this.claims.get(n.id);
    return held !== undefined && !held.lost && now.getTime() < held.leaseUntil - this.leaseMs / 10;
  }

  settling(s: Settlement): void {
    const held = this.claims.get(s.id);
    if (held?.ref.claim === s.claim) held.settling = true;
  }

  /** These settlements are in the store: their claims are no longer held. */
  settled(batch: readonly Settlement[]): void {
    for (const s of batch) {
      if (this.claims.get(s.id)?.ref.claim === s.claim) this.claims.delete(s.id);
    }
    if (this.claims.size === 0) this.stopHeartbeat();
  }

  /** Claims whose outcome is not decided yet (queued, or on the wire): what a shutdown deadline gives back. */
  undecided(): ClaimRef[] {
    return [...this.claims.values()].filter((c) => !c.settling).map((c) => c.ref);
  }

  /** Extends every held lease by a full lease from now. */
  async heartbeat(): Promise<void> {
    const claims = [...this.claims.values()];
    if (claims.length === 0) return;
    const until = this.clock.now().getTime() + this.leaseMs;
    let kept: Set<string>;
    try {
      kept = await this.store.extendLeases(
        claims.map((c) => c.ref),
        new Date(until),
      );
    } catch (error) {
      this.heartbeatFailed?.(error);
      return;
    }
    for (const c of claims) {
      if (kept.has(c.ref.id)) c.leaseUntil = Math.max(c.leaseUntil, until);
      else if (!c.settling) c.lost = true;
    }
  }

  stopHeartbeat(): void {
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = undefined;
  }

  private armHeartbeat(): void {
    if (this.cancelHeartbeat || this.claims.size === 0) return;
    this.cancelHeartbeat = this.timers.after(this.leaseMs / 3, () => {
      this.cancelHeartbeat = undefined;
      void this.heartbeat().finally(() => this.armHeartbeat());
    });
  }
}
