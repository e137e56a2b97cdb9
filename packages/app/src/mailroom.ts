import type { Container } from 'inversify';
import type {
  MailReceipt,
  NotifyInput,
  Outbox,
  PublishOptions,
  SubscribeInput,
  Subscription,
  KnownKind,
  PayloadOf,
} from '@mailroom/domain';
import type { MailSendError } from '@mailroom/domain';
import type { Logger } from 'pino';
import { redactConfig, type MailroomConfig } from './config';
import { assessHealth, type MailroomHealth } from './health';
import { testMail } from './test-mail';
import type { MailroomParts } from './container/mailroom-parts';
import { doctorReport, type DoctorReport } from './doctor/doctor-report';

/**
 * Mailroom as a host embeds it: notify, publish, subscribe, a worker to start and stop, health and a
 * test mail. Built by `createMailroom()` (production) or `createTestMailroom()` (hosts' tests).
 * `HostKinds` are the names of the host's own kinds (from `kinds`): `notify` and `publish` accept those and the
 * built-in kinds, each built-in kind with its own payload type, so a misspelt kind does not compile.
 */
export class Mailroom<HostKinds extends string = never> {
  private closed = false;
  private started = false;
  private redacted: MailroomConfig | undefined;
  /** Its collaborators, resolved once by the composition root; an ECMAScript private field (the settings hold secrets). */
  readonly #parts: MailroomParts;

  constructor(parts: MailroomParts) {
    this.#parts = parts;
  }

  /** The container: a host or test may read any binding from it. */
  get container(): Container {
    return this.#parts.container;
  }

  /** The effective configuration, secrets masked (passwords, the client secret, the database URL's password). */
  get config(): MailroomConfig {
    return (this.redacted ??= redactConfig(this.#parts.settings));
  }

  /** Mailroom's logger (the host's, when it passed one). */
  get logger(): Logger {
    return this.#parts.logger;
  }

  /** The outbox for admins: counts by status, listing, one notification, retrying dead letters. */
  get outbox(): Outbox {
    return this.#parts.outbox;
  }

  /** Validates and stores one notification; returns its id (the first one's for a repeated dedupe key). */
  async notify<K extends KnownKind | HostKinds>(input: NotifyInput<K>): Promise<string> {
    const id = await this.#parts.notify.execute(input);
    if (this.started) this.#parts.worker.wake(); // this process's worker at once; others through the database's wake-ups
    return id;
  }

  /** One notification for every subscriber of the topic; returns how many were added. */
  async publish<K extends KnownKind | HostKinds>(topic: string, kind: K, payload: PayloadOf<K>, options?: PublishOptions): Promise<number> {
    const count = await this.#parts.subscriptions.publish(topic, kind, payload, options);
    if (count > 0 && this.started) this.#parts.worker.wake();
    return count;
  }

  /** Subscribes a user to a topic; subscribing again updates the delivery preference and the recipient's details. */
  subscribe(input: SubscribeInput): Promise<void> {
    return this.#parts.subscriptions.subscribe(input);
  }

  /** Ends a subscription; false when the user was not subscribed. */
  unsubscribe(userId: string, topic: string): Promise<boolean> {
    return this.#parts.subscriptions.unsubscribe(userId, topic);
  }

  /** The topics a user follows, ordered by topic, each with its delivery preference (for the host's settings page). */
  subscriptionsOf(userId: string): Promise<Subscription[]> {
    return this.#parts.subscriptions.subscriptionsOf(userId);
  }

  /** Starts the delivery loop and the digest scheduler in this process. */
  start(): void {
    if (this.closed) throw new Error('This Mailroom was stopped; create a new one.');
    this.started = true;
    this.#parts.worker.start();
  }

  /**
   * Graceful stop within `deadlineMs` (default `worker.stopDeadlineMs`, 20 s: below the 30 s an orchestrator gives
   * before SIGKILL): no new claims; sends in flight get most of the time to finish; then every claim not settled goes
   * back to pending and the pools and databases close. A send abandoned at the deadline may still have been accepted
   * by the server: that mail is then sent again, with the same Message-ID.
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadlineMs = options.deadlineMs ?? this.#parts.settings.worker.stopDeadlineMs;
    const deadline = Date.now() + deadlineMs;
    // Closing pools and connections gets the last part of the time.
    if (this.started) await this.#parts.worker.stop(deadline - Math.min(2000, deadlineMs / 4));
    const leftBehind = await this.#parts.resources.closeAll(deadline);
    if (leftBehind.length > 0) {
      this.logger.warn({ leftBehind }, 'stop deadline reached: connections that did not close in time were left behind');
      await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
    }
  }

  /**
   * Whether mail goes out, and why not: the database, delivery (stopped by the server's refusal, paused for the
   * database, or failing with the last error and since when), dead letters of the last hour, the oldest waiting
   * mail's age, the outbox counts; with `verify`, also a live check of the SMTP server and token. `ok` is false
   * while nothing is going out.
   */
  async health(options: { verify?: boolean } = {}): Promise<MailroomHealth> {
    const { deliverDue, monitor, store, clock } = this.#parts;
    const stopped = deliverDue.health();
    const activity = monitor.activity();
    const smtp = options.verify ? await this.verifySmtp() : undefined;
    const worker = this.closed ? 'stopped' : this.started ? 'running' : 'not started';
    const now = clock.now();
    try {
      const [outbox, oldestPendingAt] = await Promise.all([store.countByStatus(), store.oldestPendingAt()]);
      return assessHealth({
        now,
        stopped,
        activity,
        worker,
        database: { ok: true },
        outbox,
        ...(oldestPendingAt ? { oldestPendingAt } : {}),
        ...(smtp ? { smtp } : {}),
      });
    } catch (error) {
      const e = error as { message?: string; code?: string };
      const database = { ok: false, error: e.message ?? String(error), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
      return assessHealth({ now, stopped, activity, worker, database, ...(smtp ? { smtp } : {}) });
    }
  }

  private async verifySmtp(): Promise<NonNullable<MailroomHealth['smtp']>> {
    try {
      await this.#parts.sender.verify();
      return { ok: true };
    } catch (error) {
      const e = error as MailSendError;
      return { ok: false, error: e.message, ...(e.code ? { code: e.code } : {}), ...(e.hint ? { hint: e.hint } : {}) };
    }
  }

  /**
   * Walks the way to the SMTP server step by step — resolve, connect, TLS, EHLO, token, AUTH, MAIL FROM —
   * and names the first failing step's cause and fix. Sends no message; holds no secret.
   */
  doctor(): Promise<DoctorReport> {
    return doctorReport({ config: this.#parts.settings });
  }

  /** Sends a real test mail straight through the configured server (not through the outbox). */
  async sendTest(to: string): Promise<MailReceipt> {
    const { settings, clock, ids, sender } = this.#parts;
    return sender.send(testMail(settings, to, clock.now(), ids.next()));
  }
}
