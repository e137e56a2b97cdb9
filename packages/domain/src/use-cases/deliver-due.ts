import { MailroomError } from '../errors';
import { ClaimQueue, type ClaimedBatch } from '../delivery/claim-queue';
import { composeMail } from '../delivery/compose-mail';
import { AttemptOutcomes } from '../delivery/attempt-outcomes';
import type { DeliverDueDeps, DeliveryListener, DeliveryReport, DeliverySettings, RunOptions } from '../delivery/deliver-due-contract';
import { deliveryError, failureClassOf } from '../delivery/delivery-error';
import { DeliveryGate } from '../delivery/delivery-gate';
import type { DeliveryHealth } from '../delivery/delivery-health';
import { HeldClaims } from '../delivery/held-claims';
import { quietly, Settler, type SettlerSettings } from '../delivery/settler';
import { inParallel } from '../in-parallel';
import { MailSendError, type OutgoingMail } from '../mail';
import type { DeliveryError, Notification } from '../notification';
import type { Settlement } from '../ports/notification-store';
import type { StopSignal } from '../ports/send-quota';
import { NO_SUCH_MAILBOX } from '../ports/suppression-list';

export type {
  AttemptedMail,
  DeliverDueDeps,
  DeliveryFailureClass,
  DeliveryListener,
  DeliveryOutcome,
  DeliveryReport,
  DeliverySettings,
  QuotaPause,
  RunOptions,
} from '../delivery/deliver-due-contract';

const MINUTE = 60_000;
const SETTLE_DEFAULTS: SettlerSettings = { maxBatch: 25, maxDelayMs: 20, maxUnsettled: 50 };
/** While settlements cannot be written, the next try waits this long, doubling up to the maximum. */
const SETTLE_RETRY_FIRST_MS = 250;
const SETTLE_RETRY_MAX_MS = 5_000;

/**
 * Claims due immediate mails (digest mails included), renders, sends and settles them.
 * Transient failures retry with backoff until the policy's last attempt, then dead-letter; permanent
 * failures dead-letter at once; authentication and configuration failures stop delivery without spending
 * attempts, and report it through `health()` until a probe succeeds.
 *
 * Nothing is sent past what can be settled: when the store refuses a settlement, delivery pauses (no claims, no
 * sends; what was claimed goes back once the store answers), the settlements wait in memory and are written first
 * when it answers again. So a database outage doubles at most the mails that were on the wire.
 */
export class DeliverDue {
  private readonly gate: DeliveryGate;
  private readonly settler: Settler;
  private readonly held: HeldClaims;
  private readonly listener: DeliveryListener;
  /** Kept only for a listener that wants the outcomes. */
  private readonly outcomes: AttemptOutcomes | undefined;
  private settleRetryMs = 0;

  private settings: DeliverySettings;

  constructor(
    private readonly deps: DeliverDueDeps,
    settings: DeliverySettings,
  ) {
    this.settings = checkConcurrency(settings);
    this.gate = new DeliveryGate(settings.stoppedProbeDelayMs);
    const listener = deps.listener ?? {};
    this.listener = listener;
    this.outcomes = listener.recorded ? new AttemptOutcomes() : undefined;
    this.held = new HeldClaims(deps.store, deps.clock, deps.timers, settings.leaseMs, listener.heartbeatFailed);
    this.settler = new Settler(
      deps.store,
      deps.timers,
      { ...SETTLE_DEFAULTS, ...settings.settle },
      {
        settled: (batch) => {
          this.held.settled(batch);
          quietly(() => listener.settled?.(batch));
          const outcomes = this.outcomes?.written(batch) ?? [];
          if (outcomes.length > 0) quietly(() => listener.recorded?.(outcomes));
        },
        ...(listener.settlementFailed ? { failed: listener.settlementFailed } : {}),
        ...(listener.settlementRecovered ? { recovered: listener.settlementRecovered } : {}),
      },
    );
  }

  health(): DeliveryHealth {
    return this.gate.health;
  }

  /**
   * Delivers due mails, claimed `batchSize` at a time (one probe mail while delivery is stopped, no more than the
   * quota grants). With `maxBatches` above 1, while the last mails of a full batch are in flight the next batch
   * is claimed, up to `maxBatches` batches, so the sends never wait for a claim round trip between batches.
   */
  /** A new From or concurrency (an admin changed the sender or the SMTP pool): the next run uses them. */
  reconfigure(changes: Pick<DeliverySettings, 'from' | 'concurrency'>): void {
    this.settings = checkConcurrency({ ...this.settings, ...changes });
  }

  async run(batchSize: number, options: RunOptions = {}): Promise<DeliveryReport> {
    const { signal, maxBatches = 1 } = options;
    const { clock } = this.deps;
    // The outcome of earlier sends first: nothing new goes out while it cannot be recorded.
    if (this.settler.unsettled > 0 && !(await this.settled())) return this.report(0, tally(), false);
    const now = clock.now();
    const stopped = this.gate.closed;
    if (this.gate.waiting(now)) return this.report(0, tally(), false);
    const first = await this.claim(now, stopped ? 1 : batchSize);
    if (first === 'quota spent') {
      const until = new Date((Math.floor(now.getTime() / MINUTE) + 1) * MINUTE);
      quietly(() => this.listener.quotaPaused?.({ source: 'rate-limit', until }));
      return { ...this.report(0, tally(), false), notBefore: until };
    }
    const run: RunState = { stoppedBy: undefined, signal };
    const queue = new ClaimQueue(first, {
      maxBatches: stopped ? 1 : maxBatches,
      inFlight: this.settings.concurrency,
      claimMore: async () => {
        const more = await this.claim(clock.now(), batchSize);
        return more === 'quota spent' ? undefined : more;
      },
      mayClaimMore: () => !run.stoppedBy && !signal?.aborted && !this.settler.blocked,
    });
    const outcomes = tally();
    await inParallel(
      Math.min(this.settings.concurrency, queue.claimed),
      () => queue.next(),
      async (n) => {
        const settlement = await this.deliverOne(n, run);
        outcomes[settlement.type]++;
        this.held.settling(settlement);
        this.settler.add(settlement);
      },
    );
    const written = await this.settled();
    return this.report(queue.claimed, outcomes, queue.full && !run.stoppedBy && written);
  }

  /**
   * At a shutdown deadline: every claim whose outcome is not decided yet (queued, or on the wire) goes back to
   * pending, and all settlements are written. A send still on the wire may yet be accepted by the server: that mail
   * is then sent again by the next claim (same Message-ID). Resolves false when the store could not be written.
   */
  abandon(): Promise<boolean> {
    const now = this.deps.clock.now();
    for (const ref of this.held.undecided()) {
      const release: Settlement = { type: 'release', ...ref, nextAttemptAt: now };
      this.held.settling(release);
      this.settler.add(release);
    }
    this.held.stopHeartbeat();
    return this.settler.flush();
  }

  /** Writes the waiting settlements; tracks the backoff of the next try while the store refuses them. */
  private async settled(): Promise<boolean> {
    const written = await this.settler.flush();
    this.settleRetryMs = written
      ? 0
      : Math.min(SETTLE_RETRY_MAX_MS, this.settleRetryMs === 0 ? SETTLE_RETRY_FIRST_MS : this.settleRetryMs * 2);
    return written;
  }

  private report(claimed: number, outcomes: Tally, full: boolean): DeliveryReport {
    const unsettled = this.settler.unsettled;
    const notBefore = unsettled > 0 ? new Date(this.deps.clock.now().getTime() + this.settleRetryMs) : this.gate.nextProbeAt;
    return {
      claimed,
      sent: outcomes.sent,
      retried: outcomes.retry,
      dead: outcomes.dead,
      released: outcomes.release,
      full,
      unsettled,
      ...(notBefore ? { notBefore } : {}),
    };
  }

  /** Claims up to `limit` due mails within the per-minute quota (what is not used goes back to it). */
  private async claim(now: Date, limit: number): Promise<ClaimedBatch | 'quota spent'> {
    const { store, quota } = this.deps;
    const granted = quota ? await quota.take(now, limit) : limit;
    if (granted === 0) return 'quota spent';
    const mails = await store.claimDue({ now, limit: granted, leaseMs: this.settings.leaseMs, owner: this.settings.owner });
    this.held.hold(mails);
    if (quota && mails.length < granted) await quota.giveBack(now, granted - mails.length);
    return { mails, full: mails.length === granted };
  }

  /** The mail for a notification or a digest, as it would go out. */
  compose(n: Notification): Promise<OutgoingMail> {
    return composeMail(n, this.deps.renderer, this.deps.kinds, this.settings.from, this.deps.unsubscribe);
  }

  private async deliverOne(n: Notification, run: RunState): Promise<Settlement> {
    const { clock } = this.deps;
    const ref = { id: n.id, claim: n.claim };
    // Blocked: an earlier outcome could not be recorded, so this one could not be either.
    if (!(await this.settler.admit())) return { type: 'release', ...ref, nextAttemptAt: clock.now() };
    let mail: OutgoingMail;
    try {
      mail = await this.compose(n);
    } catch (error) {
      // A template that cannot render this mail will not render it on the next attempt either.
      const dead: Settlement = { type: 'dead', ...ref, at: clock.now(), error: deliveryError(error, 'TEMPLATE.FAILED') };
      this.outcomes?.note(n, dead, dead.at, { failure: 'template' });
      return dead;
    }
    if (run.stoppedBy) return this.release(n, run.stoppedBy);
    const now = clock.now();
    // Stopping, or the claim is lost or about to run out: another worker may have the mail, so sending it now could
    // send it twice. It goes back, without spending an attempt.
    if (run.signal?.aborted || !this.held.maySend(n, now)) return { type: 'release', ...ref, nextAttemptAt: now };
    try {
      const receipt = await this.deps.sender.send(mail);
      const at = clock.now();
      this.gate.open(at);
      const messageId = receipt.messageId || mail.messageId;
      quietly(() => this.listener.accepted?.({ id: n.id, messageId }));
      const partial: DeliveryError | undefined =
        receipt.rejected.length > 0
          ? {
              code: 'SEND.PARTIAL',
              message: `The server refused ${receipt.rejected.map((r) => `${r.address} (${r.response ?? r.responseCode ?? 'refused'})`).join(', ')}`,
            }
          : undefined;
      const sent: Settlement = { type: 'sent', ...ref, at, messageId, ...(partial ? { error: partial } : {}) };
      this.outcomes?.note(n, sent, at, { sendMs: at.getTime() - now.getTime() });
      return sent;
    } catch (error) {
      const settlement = this.failed(n, error, run);
      const at = clock.now();
      this.outcomes?.note(n, settlement, at, { sendMs: at.getTime() - now.getTime(), failure: failureClassOf(error) });
      if (settlement.type === 'dead' && error instanceof MailSendError && error.code === NO_SUCH_MAILBOX) await this.suppress(n, error);
      return settlement;
    }
  }

  /** One insert per dead address; a failure to write it is told, and does not hold the mail's own outcome back. */
  private async suppress(n: Notification, error: MailSendError): Promise<void> {
    const suppressions = this.deps.suppressions;
    if (suppressions === undefined || !suppressions.enabled()) return;
    const address = n.recipient.email.address;
    try {
      await suppressions.list.add({
        address,
        reason: `${error.code}: ${error.response ?? error.message}`,
        suppressedAt: this.deps.clock.now(),
        notificationId: n.id,
      });
    } catch (failure) {
      this.deps.listener?.suppressionFailed?.(failure, address);
    }
  }

  private failed(n: Notification, error: unknown, run: RunState): Settlement {
    const now = this.deps.clock.now();
    if (error instanceof MailSendError && error.holdsDelivery) {
      run.stoppedBy ??= error;
      this.gate.close(now, error);
      const release = this.release(n, error);
      if (error.pauseMs !== undefined) {
        const until = release.nextAttemptAt;
        quietly(() => this.listener.quotaPaused?.({ source: 'server', until, code: error.code }));
      }
      return release;
    }
    const reason = deliveryError(error, 'SEND.TRANSIENT');
    if (error instanceof MailSendError && error.failure === 'permanent') {
      return { type: 'dead', id: n.id, claim: n.claim, at: now, error: reason };
    }
    const retryAt = this.deps.retry.nextAttemptAt(n.attempts, now);
    if (retryAt === undefined) {
      return {
        type: 'dead',
        id: n.id,
        claim: n.claim,
        at: now,
        error: { ...reason, message: `Gave up after ${n.attempts} attempts; the last one failed: ${reason.message}` },
      };
    }
    return { type: 'retry', id: n.id, claim: n.claim, nextAttemptAt: retryAt, error: reason };
  }

  private release(n: Notification, reason: MailSendError): Settlement & { type: 'release' } {
    const nextAttemptAt = this.gate.dueAgain(this.deps.clock.now(), reason);
    return { type: 'release', id: n.id, claim: n.claim, nextAttemptAt, error: deliveryError(reason, reason.code) };
  }
}

type Tally = Record<Settlement['type'], number>;

function tally(): Tally {
  return { sent: 0, retry: 0, dead: 0, release: 0 };
}

interface RunState {
  /** Set by the first send in this run that stopped delivery: the mails after it are not tried. */
  stoppedBy: MailSendError | undefined;
  readonly signal: StopSignal | undefined;
}

function checkConcurrency(settings: DeliverySettings): DeliverySettings {
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) {
    throw new MailroomError('CONFIG.DELIVERY', 'Delivery concurrency must be a whole number of 1 or more.');
  }
  return settings;
}
