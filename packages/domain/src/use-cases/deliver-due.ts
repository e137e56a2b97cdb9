import { MailroomError } from '../errors';
import type { DeliveryHealth } from '../delivery/delivery-health';
import type { RetryPolicy } from '../delivery/retry-policy';
import type { KindRegistry } from '../kinds/kind-registry';
import { MailSendError, type OutgoingMail } from '../mail';
import type { DeliveryError, Notification } from '../notification';
import type { Clock } from '../ports/clock';
import type { MailSender } from '../ports/mail-sender';
import type { NotificationStore, Settlement } from '../ports/notification-store';
import type { SendQuota, StopSignal } from '../ports/send-quota';
import type { TemplateRenderer } from '../ports/template-renderer';
import { composeMail } from '../delivery/compose-mail';
import { SettlementBuffer } from '../delivery/settlement-buffer';
import { deliveryError } from '../delivery/delivery-error';
import type { EmailAddress } from '../values/email-address';


export interface DeliverySettings {
  readonly from: EmailAddress;
  /** How long a claim lasts before another worker may take the mail. Default 5 min. */
  readonly leaseMs: number;
  /** Sends in flight at once; no more than the SMTP pool. Default 3. */
  readonly concurrency: number;
  /** While delivery is stopped (credentials or configuration refused), mails wait this long between probes. Default 60 s. */
  readonly stoppedProbeDelayMs: number;
}

export interface DeliveryReport {
  readonly claimed: number;
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
  /** Returned to pending without spending an attempt because delivery stopped. */
  readonly released: number;
  /** Every settled mail, in settlement order: for one log line per mail. */
  readonly settlements: readonly Settlement[];
  /**
   * Nothing can be sent before this (the minute's quota is spent, or delivery is stopped and the next probe is
   * not due): the worker sleeps until then instead of asking again at once.
   */
  readonly notBefore?: Date;
}

const MINUTE = 60_000;
/** Settle in batches of this many as mails finish. */
const SETTLE_EVERY = 25;

export interface DeliverDueDeps {
  readonly store: NotificationStore;
  readonly sender: MailSender;
  readonly renderer: TemplateRenderer;
  readonly kinds: KindRegistry;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  /** A per-minute budget shared by all workers; absent means no limit. */
  readonly quota?: SendQuota;
}

/**
 * Claims due immediate mails (digest mails included), renders, sends and settles them.
 * Transient failures retry with backoff until the policy's last attempt, then dead-letter; permanent
 * failures dead-letter at once; authentication and configuration failures stop delivery without spending
 * attempts, and report it through `health()` until a probe succeeds.
 */
export class DeliverDue {
  private currentHealth: DeliveryHealth = { state: 'healthy' };
  /** While stopped: when the next probe may go (one login attempt per delay, not one per pending mail). */
  private nextProbeAt: Date | undefined;

  constructor(
    private readonly deps: DeliverDueDeps,
    private readonly settings: DeliverySettings,
  ) {
    if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) {
      throw new MailroomError('CONFIG.DELIVERY', 'Delivery concurrency must be a whole number of 1 or more.');
    }
  }

  health(): DeliveryHealth {
    return this.currentHealth;
  }

  /**
   * Delivers up to `batchSize` due mails (one probe mail while delivery is stopped, no more than the quota
   * grants). When `signal` aborts, mails not yet sent go back to pending without spending an attempt.
   */
  async run(batchSize: number, signal?: StopSignal): Promise<DeliveryReport> {
    const { store, clock, quota } = this.deps;
    const now = clock.now();
    const stopped = this.currentHealth.state === 'stopped';
    if (stopped && this.nextProbeAt && now < this.nextProbeAt) return emptyReport(this.nextProbeAt);
    let limit = stopped ? 1 : batchSize;
    if (quota) {
      limit = await quota.take(now, limit);
      if (limit === 0) return emptyReport(new Date((Math.floor(now.getTime() / MINUTE) + 1) * MINUTE));
    }
    const claimed = await store.claimDue({ now, limit, leaseMs: this.settings.leaseMs });
    if (quota && claimed.length < limit) await quota.giveBack(now, limit - claimed.length);
    const settled = new SettlementBuffer(store, SETTLE_EVERY);
    const run: RunState = { stoppedBy: undefined, signal };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let n = claimed[next++]; n !== undefined; n = claimed[next++]) {
        settled.add(await this.deliverOne(n, run));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, claimed.length) }, worker));
    await settled.flush();
    const settlements = settled.all;
    const count = (type: Settlement['type']) => settlements.filter((s) => s.type === type).length;
    return {
      claimed: claimed.length,
      sent: count('sent'),
      retried: count('retry'),
      dead: count('dead'),
      released: count('release'),
      settlements,
      ...(this.currentHealth.state === 'stopped' && this.nextProbeAt ? { notBefore: this.nextProbeAt } : {}),
    };
  }

  /** The mail for a notification or a digest, as it would go out. */
  compose(n: Notification): Promise<OutgoingMail> {
    return composeMail(n, this.deps.renderer, this.deps.kinds, this.settings.from);
  }

  private async deliverOne(n: Notification, run: RunState): Promise<Settlement> {
    const { clock } = this.deps;
    let mail: OutgoingMail;
    try {
      mail = await this.compose(n);
    } catch (error) {
      // A template that cannot render this mail will not render it on the next attempt either.
      return { type: 'dead', id: n.id, attempt: n.attempts, at: clock.now(), error: deliveryError(error, 'TEMPLATE.FAILED') };
    }
    if (run.stoppedBy) return this.release(n, run.stoppedBy);
    const now = clock.now();
    // Stopping, or the claim is about to run out (slow sends earlier in the batch): another worker may claim the
    // mail any moment, so sending it now could send it twice. It goes back, without spending an attempt.
    if (run.signal?.aborted || (n.leaseUntil && now.getTime() >= n.leaseUntil.getTime() - this.settings.leaseMs / 10)) {
      return { type: 'release', id: n.id, attempt: n.attempts, nextAttemptAt: now };
    }
    try {
      const receipt = await this.deps.sender.send(mail);
      const at = clock.now();
      this.currentHealth = { state: 'healthy', lastSentAt: at };
      this.nextProbeAt = undefined;
      const partial: DeliveryError | undefined =
        receipt.rejected.length > 0
          ? {
              code: 'SEND.PARTIAL',
              message: `The server refused ${receipt.rejected.map((r) => `${r.address} (${r.response ?? r.responseCode ?? 'refused'})`).join(', ')}`,
            }
          : undefined;
      return { type: 'sent', id: n.id, attempt: n.attempts, at, messageId: receipt.messageId || mail.messageId, ...(partial ? { error: partial } : {}) };
    } catch (error) {
      return this.failed(n, error, run);
    }
  }

  private failed(n: Notification, error: unknown, run: RunState): Settlement {
    const now = this.deps.clock.now();
    if (error instanceof MailSendError && error.holdsDelivery) {
      run.stoppedBy ??= error;
      this.nextProbeAt = new Date(now.getTime() + this.probeDelayMs(error));
      if (this.currentHealth.state !== 'stopped') {
        const { lastSentAt } = this.currentHealth;
        this.currentHealth = { state: 'stopped', since: now, reason: error, ...(lastSentAt ? { lastSentAt } : {}) };
      } else {
        this.currentHealth = { ...this.currentHealth, reason: error };
      }
      return this.release(n, error);
    }
    const reason = deliveryError(error, 'SEND.TRANSIENT');
    if (error instanceof MailSendError && error.failure === 'permanent') {
      return { type: 'dead', id: n.id, attempt: n.attempts, at: now, error: reason };
    }
    const retryAt = this.deps.retry.nextAttemptAt(n.attempts, now);
    if (retryAt === undefined) {
      return {
        type: 'dead',
        id: n.id,
        attempt: n.attempts,
        at: now,
        error: { ...reason, message: `Gave up after ${n.attempts} attempts; the last one failed: ${reason.message}` },
      };
    }
    return { type: 'retry', id: n.id, attempt: n.attempts, nextAttemptAt: retryAt, error: reason };
  }

  /** A quota's pause, else the configured probe delay. */
  private probeDelayMs(reason: MailSendError): number {
    return reason.pauseMs ?? this.settings.stoppedProbeDelayMs;
  }

  private release(n: Notification, reason: MailSendError): Settlement {
    const nextAttemptAt = new Date(this.deps.clock.now().getTime() + this.probeDelayMs(reason));
    return { type: 'release', id: n.id, attempt: n.attempts, nextAttemptAt, error: deliveryError(reason, reason.code) };
  }
}

function emptyReport(notBefore: Date): DeliveryReport {
  return { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0, settlements: [], notBefore };
}

interface RunState {
  /** Set by the first send in this run that stopped delivery: the mails after it are not tried. */
  stoppedBy: MailSendError | undefined;
  readonly signal: StopSignal | undefined;
}
