import type { Container } from 'inversify';
import type {
  DeliveryHealth,
  MailReceipt,
  NotifyInput,
  Outbox,
  PublishOptions,
  SubscribeInput,
  KnownKind,
  KnownPayloads,
} from '@mailroom/domain';
import { EmailAddress, type MailSendError } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { MailroomConfig } from './config';
import { TOKENS } from './container/tokens';
import { doctorReport, type DoctorReport } from './doctor/doctor-report';
import { Worker } from './worker/worker';

export interface MailroomHealth {
  readonly ok: boolean;
  readonly database: { readonly ok: boolean; readonly error?: string };
  /** Delivery as the worker sees it: stopped while the server or token endpoint refuses our credentials. */
  readonly delivery: DeliveryHealth;
  /** With `verify`: connect, TLS, token and AUTH against the SMTP server now. */
  readonly smtp?: { readonly ok: boolean; readonly error?: string; readonly code?: string; readonly hint?: string };
  readonly outbox?: Record<string, number>;
}

/**
 * Mailroom as a host embeds it: notify, publish, subscribe, a worker to start and stop, health and a
 * test mail. Built by `createMailroom()` (production) or `createTestMailroom()` (hosts' tests).
 */
export class Mailroom {
  private worker: Worker | undefined;
  private closed = false;

  constructor(
    /** The container; a host or test may read any binding from it. */
    readonly container: Container,
    readonly config: MailroomConfig,
  ) {}

  get logger(): Logger {
    return this.container.get(TOKENS.Logger);
  }

  get outbox(): Outbox {
    return this.container.get(TOKENS.Outbox);
  }

  /** Validates and stores one notification; returns its id (the first one's for a repeated dedupe key). */
  async notify<K extends string>(input: NotifyInput<K>): Promise<string> {
    const id = await this.container.get(TOKENS.Notify).execute(input);
    this.worker?.wake(); // this process's worker at once; others through the database's wake-ups
    return id;
  }

  /** One notification for every subscriber of the topic; returns how many were added. */
  async publish<K extends string>(
    topic: string,
    kind: K,
    payload: K extends KnownKind ? KnownPayloads[K] : Record<string, unknown>,
    options?: PublishOptions,
  ): Promise<number> {
    const count = await this.container.get(TOKENS.Subscriptions).publish(topic, kind, payload, options);
    if (count > 0) this.worker?.wake();
    return count;
  }

  subscribe(input: SubscribeInput): Promise<void> {
    return this.container.get(TOKENS.Subscriptions).subscribe(input);
  }

  unsubscribe(userId: string, topic: string): Promise<boolean> {
    return this.container.get(TOKENS.Subscriptions).unsubscribe(userId, topic);
  }

  /** Starts the delivery loop and the digest scheduler in this process. */
  start(): void {
    if (this.closed) throw new Error('This Mailroom was stopped; create a new one.');
    this.worker ??= new Worker(
      this.container.get(TOKENS.DeliverDue),
      this.container.get(TOKENS.SendDigests),
      this.container.get(TOKENS.NotificationStore),
      this.container.get(TOKENS.Clock),
      this.logger,
      { batchSize: this.config.worker.batchSize, pollIntervalMs: this.config.worker.pollIntervalMs },
      this.container.get(TOKENS.Wakeups),
    );
    this.worker.start();
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
    const deadlineMs = options.deadlineMs ?? this.config.worker.stopDeadlineMs;
    const deadline = Date.now() + deadlineMs;
    // Closing pools and connections gets the last part of the time.
    await this.worker?.stop(deadline - Math.min(2000, deadlineMs / 4));
    const leftBehind = await this.container.get(TOKENS.Resources).closeAll(deadline);
    if (leftBehind.length > 0) {
      this.logger.warn({ leftBehind }, 'stop deadline reached: connections that did not close in time were left behind');
      await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
    }
  }

  /** Database, delivery state and last error; with `verify`, also a live check of the SMTP server and token. */
  async health(options: { verify?: boolean } = {}): Promise<MailroomHealth> {
    const delivery = this.container.get(TOKENS.DeliverDue).health();
    const smtp = options.verify ? await this.verifySmtp() : undefined;
    const smtpOk = smtp?.ok ?? true;
    try {
      const outbox = await this.container.get(TOKENS.NotificationStore).countByStatus();
      return { ok: delivery.state === 'healthy' && smtpOk, database: { ok: true }, delivery, ...(smtp ? { smtp } : {}), outbox };
    } catch (error) {
      return { ok: false, database: { ok: false, error: (error as Error).message }, delivery, ...(smtp ? { smtp } : {}) };
    }
  }

  private async verifySmtp(): Promise<NonNullable<MailroomHealth['smtp']>> {
    try {
      await this.container.get(TOKENS.MailSender).verify();
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
    return doctorReport({ config: this.config });
  }

  /** Sends a real test mail straight through the configured server (not through the outbox). */
  async sendTest(to: string): Promise<MailReceipt> {
    const recipient = EmailAddress.parse(to, undefined, 'to');
    const from = EmailAddress.parse(this.config.from.address, this.config.from.name, 'from.address');
    const now = this.container.get(TOKENS.Clock).now();
    const id = this.container.get(TOKENS.IdSource).next();
    const text = [
      'This is a test mail from Mailroom.',
      '',
      `It went from ${from.address} to ${recipient.address} at ${now.toISOString()}`,
      `through ${this.config.smtp ? `${this.config.smtp.host}:${this.config.smtp.port ?? ''} (${this.config.smtp.tls}, auth ${this.config.smtp.auth.type})` : 'the development mail catcher'}.`,
      '',
      'If you can read this, notifications will reach their recipients.',
    ].join('\n');
    return this.container.get(TOKENS.MailSender).send({
      messageId: `test-${id}@${from.domain}`,
      from,
      to: [recipient],
      subject: `${this.config.subjectPrefix}Mailroom test mail`.trim(),
      text,
      html: `<p>${text.split('\n').filter(Boolean).map(escapeHtml).join('</p><p>')}</p>`,
    });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
