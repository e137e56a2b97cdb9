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
  /** The last claim of the run got all it asked for: more is probably due, so the worker goes on at once. */
  readonly full: boolean;
  /** Every settled mail, in settlement order: for one log line per mail. */
  readonly settlements: readonly Settlement[];
  /**
   * Nothing can be sent before this (the minute's quota is spent, or delivery is stopped and the next probe is
   * not due): the worker sleeps until then instead of asking again at once.
   */
  readonly notBefore?: Date;
}

export interface RunOptions {
  /** When it aborts, mails not yet sent go back to pending without spending an attempt. */
  readonly signal?: StopSignal;
  /** Claim up to this many batches in one run, the next while the last mails of the previous are in flight. Default 1. */
  readonly maxBatches?: number;
  /** Told about each batch of settlements once it is in the store, as the run goes. */
  readonly onSettled?: (settlements: readonly Settlement[]) => void;
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
   * Delivers due mails, claimed `batchSize` at a time (one probe mail while delivery is stopped, no more than the
   * quota grants). With `maxBatches` above 1, while the last mails of a full batch are in flight the next batch
   * is claimed, up to `maxBatches` batches, so the sends never wait for a claim round trip between batches.
   */
  async run(batchSize: number, options: RunOptions = {}): Promise<DeliveryReport> {
    const { signal, maxBatches = 1 } = options;
    const { store, clock } = this.deps;
    const now = clock.now();
    const stopped = this.currentHealth.state === 'stopped';
    if (stopped && this.nextProbeAt && now < this.nextProbeAt) return emptyReport(this.nextProbeAt);
    const first = await this.claim(now, stopped ? 1 : batchSize);
    if (first === 'quota spent') return emptyReport(new Date((Math.floor(now.getTime() / MINUTE) + 1) * MINUTE));
    const queue = [...first.mails];
    let full = first.full;
    let batches = 1;
    let ahead: Promise<void> | undefined;
    const settled = new SettlementBuffer(store, SETTLE_EVERY, options.onSettled);
    const run: RunState = { stoppedBy: undefined, signal };
    const claimAhead = (): void => {
      if (!full || stopped || batches >= maxBatches || ahead || run.stoppedBy || signal?.aborted) return;
      batches++;
      ahead = this.claim(clock.now(), batchSize)
        .then(
          (more) => {
            if (more === 'quota spent') {
              full = false;
              return;
            }
            queue.push(...more.mails);
            full = more.full;
          },
          // A claim that fails here ends the run after what it holds; the next run's claim meets (and reports) the error.
          () => void (full = false),
        )
        .finally(() => (ahead = undefined));
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (next >= queue.length) {
          if (!ahead) return;
          await ahead;
          continue;
        }
        const n = queue[next++]!;
        // Only the mails in flight are left: claim the next batch now, not after they finish.
        if (queue.length - next <= this.settings.concurrency) claimAhead();
        settled.add(await this.deliverOne(n, run));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, queue.length) }, worker));
    await settled.flush();
    const settlements = settled.all;
    const count = (type: Settlement['type']) => settlements.filter((s) => s.type === type).length;
    return {
      claimed: queue.length,
      sent: count('sent'),
      retried: count('retry'),
      dead: count('dead'),
      released: count('release'),
      full: full && !run.stoppedBy,
      settlements,
      ...(this.currentHealth.state === 'stopped' && this.nextProbeAt ? { notBefore: this.nextProbeAt } : {}),
    };
  }

  /** Claims up to `limit` due mails within the per-minute quota (what is not used goes back to it). */
  private async claim(now: Date, limit: number): Promise<{ mails: Notification[]; full: boolean } | 'quota spent'> {
    const { store, quota } = this.deps;
    const granted = quota ? await quota.take(now, limit) : limit;
    if (granted === 0) return 'quota spent';
    const mails = await store.claimDue({ now, limit: granted, leaseMs: this.settings.leaseMs });
    if (quota && mails.length < granted) await quota.giveBack(now, granted - mails.length);
    return { mails, full: mails.length === granted };
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
  return { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0, full: false, settlements: [], notBefore };
}

interface RunState {
  /** Set by the first send in this run that stopped delivery: the mails after it are not tried. */
  stoppedBy: MailSendError | undefined;
  readonly signal: StopSignal | undefined;
}
