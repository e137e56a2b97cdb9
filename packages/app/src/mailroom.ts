import type { Container } from 'inversify';
import type {
  MailReceipt,
  NotifyInput,
  Outbox,
  Preferences,
  PublishOptions,
  Suppressions,
  SubscribeInput,
  Subscription,
  KnownKind,
  PayloadOf,
  WriteOptions,
} from '@mailroom/domain';
import type { MailSendError } from '@mailroom/domain';
import type { Logger } from './logging/logger';
import { redactConfig, type MailroomConfig } from './config';
import { assessHealth, type MailroomHealth } from './health';
import { testMail } from './test-mail';
import type { MailroomParts } from './container/mailroom-parts';
import { doctorReport, type DoctorReport, type DoctorStep } from './doctor/doctor-report';
import { smtpSender } from './container/smtp-module';
import { adminHandler, type AdminHandler, type AdminHandlerOptions } from './admin/admin-handler';
import { publicHandler, type PublicHandler, type PublicHandlerOptions } from './public/public-handler';
import { mailroomSettings, type MailroomSettings } from './settings/mailroom-settings';
import type { SettingsUpdate } from './settings/settings-view';
import type { TemplatesAdmin } from './settings/templates-admin';
import { caughtMailbox, type CaughtMailbox } from './catcher/caught-mailbox';
import type { TransactionOptions } from './transaction-options';
import type { MailroomEvents } from './ops/mailroom-events';
import { opsHandler, type OpsHandler, type OpsHandlerOptions } from './ops/ops-handler';
import type { MailroomMetrics } from './ops/prom-client-metrics';
import { readinessOf } from './ops/readiness';

/**
 * Mailroom as a host embeds it: notify, publish, subscribe, a worker to start and stop, health and a
 * test mail. Built by `createMailroom()` (production) or `createTestMailroom()` (hosts' tests).
 * `HostKinds` are the names of the host's own kinds (from `kinds`): `notify` and `publish` accept those and the
 * built-in kinds, each built-in kind with its own payload type, so a misspelt kind does not compile.
 */
export class Mailroom<HostKinds extends string = never> {
  private closed = false;
  private started = false;
  private redacted: { version: number; config: MailroomConfig } | undefined;
  /** Its collaborators, resolved once by the composition root; an ECMAScript private field (the settings hold secrets). */
  readonly #parts: MailroomParts;
  /** The development catcher's folder, when this Mailroom was set up with the catcher (no SMTP server). */
  readonly #catcherDir: string | undefined;

  constructor(parts: MailroomParts, options: { catcherDir?: string } = {}) {
    this.#parts = parts;
    this.#catcherDir = options.catcherDir;
  }

  /**
   * The mails the development catcher kept, while it is in use: this Mailroom started with it (`development`, no SMTP
   * server) and no admin has saved a server since. Undefined otherwise.
   */
  get caughtMail(): CaughtMailbox | undefined {
    if (this.#catcherDir === undefined || this.#parts.runtime.config.smtp) return undefined;
    return caughtMailbox(this.#catcherDir);
  }

  /** The container: a host or test may read any binding from it. */
  get container(): Container {
    return this.#parts.container;
  }

  /**
   * The effective configuration — stored (admin) settings included — secrets masked (passwords, the client secret,
   * the database URL's password, the admin token).
   */
  get config(): MailroomConfig {
    const { runtime } = this.#parts;
    if (this.redacted?.version !== runtime.version) this.redacted = { version: runtime.version, config: redactConfig(runtime.config) };
    return this.redacted.config;
  }

  /**
   * The settings admins change at run time: every setting with its effective value (never a secret's), source and
   * lock; validated, audited updates that every node applies within about a second; the audit; key rotation.
   */
  get settings(): MailroomSettings {
    return mailroomSettings(this.#parts.runtime);
  }

  /** Mailroom's logger (the host's, when it passed one, as Mailroom calls it: at `log.level` and above, secrets masked). */
  get logger(): Logger {
    return this.#parts.logger;
  }

  /**
   * Mailroom's Prometheus metrics (`mailroom_…`): `registry` is the host's, when it passed one to `createMailroom`,
   * else Mailroom's own (never prom-client's global registry). Serve it with `opsHandler()`, or read it:
   * `await mailroom.metrics.registry.metrics()`.
   */
  get metrics(): MailroomMetrics {
    return this.#parts.metrics;
  }

  /**
   * Every mail outcome this process records, as it is recorded: `sent`, `failed` (tried again later) and `dead`, each
   * with the notification id, kind, recipient, attempt, and the Message-ID or the error's code and class.
   * `mailroom.events.on('dead', (e) => audit.write(e))`. Listeners run in delivery's path: keep them quick. One that
   * throws is logged; delivery goes on.
   */
  get events(): MailroomEvents {
    return this.#parts.events;
  }

  /**
   * The recipients' choices per kind, and per kind on a topic (immediate, digest or off): `of(userId)`,
   * `set({ userId, kind, topic?, choice })` (refuses an unknown kind, and off for a mandatory one), `clear(...)`.
   * `notify` and `publish` honour them; an "off" notification is kept as `skipped`.
   */
  get preferences(): Preferences {
    return this.#parts.preferences;
  }

  /**
   * The suppression list: addresses whose mailbox does not exist (a permanent "no such mailbox" failure put them
   * there, while `suppression.enabled`). Notifications to them are kept as `suppressed`, never sent.
   * `list({ limit, afterAddress })`, `remove(address)` (mail to it goes out again), `clear()`.
   */
  get suppressions(): Suppressions {
    return this.#parts.suppressions;
  }

  /** The outbox for admins: counts by status, listing, one notification, retrying dead letters. */
  get outbox(): Outbox {
    return this.#parts.outbox;
  }

  /**
   * Validates and stores one notification; returns its id (the first one's for a repeated dedupe key). With
   * `options.transaction`, stores it inside the host's transaction (see `TransactionOptions`); an invalid input is
   * refused before anything runs on that transaction.
   */
  async notify<K extends KnownKind | HostKinds>(input: NotifyInput<K>, options: TransactionOptions = {}): Promise<string> {
    const id = await this.#parts.notify.execute(input, writeOptions(options));
    this.wakeWorker(options);
    return id;
  }

  /**
   * One notification for every subscriber of the topic; returns how many were added. With `options.transaction`,
   * inside the host's transaction, as for `notify`.
   */
  async publish<K extends KnownKind | HostKinds>(
    topic: string,
    kind: K,
    payload: PayloadOf<K>,
    options: PublishOptions & TransactionOptions = {},
  ): Promise<number> {
    const { transaction, ...publish } = options;
    const count = await this.#parts.subscriptions.publish(topic, kind, payload, { ...publish, ...writeOptions({ transaction }) });
    if (count > 0) this.wakeWorker(options);
    return count;
  }

  /**
   * This process's worker at once; others through the database's wake-ups. Not for a write in the host's
   * transaction: it is invisible until the host commits, and the commit delivers the database's wake-up to every
   * worker, this one included.
   */
  private wakeWorker(options: TransactionOptions): void {
    if (this.started && options.transaction === undefined) this.#parts.worker.wake();
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
    this.#parts.live.watch();
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
    const deadlineMs = options.deadlineMs ?? this.#parts.runtime.config.worker.stopDeadlineMs;
    this.#parts.live.close();
    const deadline = Date.now() + deadlineMs;
    // Closing pools and connections gets the last part of the time.
    if (this.started) await this.#parts.worker.stop(deadline - Math.min(2000, deadlineMs / 4));
    const leftBehind = await this.#parts.resources.closeAll(deadline);
    if (leftBehind.length > 0) {
      this.#parts.logger.warn('stop deadline reached: connections that did not close in time were left behind', { leftBehind });
      await this.#parts.logger.flush();
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
   * The templates admins edit: list, read with the built-in text, save (checked with the kinds' samples first),
   * reset, and preview with templates not saved yet. Saved templates reach every node like settings.
   */
  get templates(): TemplatesAdmin {
    return this.#parts.templates;
  }

  /**
   * The admin HTTP API over this Mailroom: settings, check and test mail, templates, outbox, dead letters and retries,
   * with `openapi.json`. Mount `listener` in Express, Fastify, Koa, NestJS or node:http, or call `fetch` from a
   * fetch-style server. `authorize` is the host's: it returns the signed-in admin, or nothing (401), or throws
   * `AdminRefusedError` (403).
   */
  adminHandler(options: AdminHandlerOptions): AdminHandler {
    return adminHandler(this, options);
  }

  /**
   * The endpoints recipients reach from a mail without signing in: the RFC 8058 one-click unsubscribe (POST) and its
   * confirmation page (GET) at `<basePath>/unsubscribe`. Mount it where `links.unsubscribePath` points.
   */
  publicHandler(options: PublicHandlerOptions = {}): PublicHandler {
    const parts = this.#parts;
    return publicHandler(
      {
        tokens: parts.unsubscribeTokens,
        unsubscribe: parts.unsubscribe,
        clock: parts.clock,
        logger: parts.logger,
        preferencesUrl: () => {
          const { baseUrl, preferencesPath } = parts.runtime.config.links;
          // The path is checked as a link path (no "..", no "//"): appended, it stays on the base URL and its prefix.
          return preferencesPath === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}${preferencesPath}`;
        },
      },
      options,
    );
  }

  /**
   * The operations endpoints: `GET /metrics` (Prometheus text), `/healthz` (200 while the process answers) and
   * `/readyz` (200 when the database answers and delivery is neither stopped nor paused, else 503 with the codes of
   * what is wrong). Mount it like the admin handler; `metricsToken` makes `/metrics` require a bearer token.
   * `mailroom start` serves it next to the admin API.
   */
  opsHandler(options: OpsHandlerOptions = {}): OpsHandler {
    const parts = this.#parts;
    return opsHandler({ registry: parts.metrics.registry, readiness: () => readinessOf(parts, this.closed) }, options);
  }

  /**
   * Walks the way to the SMTP server step by step — resolve, connect, TLS, EHLO, token, AUTH, MAIL FROM —
   * and names the first failing step's cause and fix. Sends no message; holds no secret.
   */
  doctor(): Promise<DoctorReport> {
    return doctorReport({ config: this.#parts.runtime.config });
  }

  /**
   * The doctor's diagnosis of settings not saved yet: the effective settings with `update` applied, validated as
   * a save would (a `ConfigError` names what is wrong), so an admin can try new settings before switching to them.
   * `onStep` is told each step as it completes (the console shows them as they come).
   */
  async checkSettings(update: SettingsUpdate = {}, options: { onStep?: (step: DoctorStep) => void } = {}): Promise<DoctorReport> {
    return doctorReport({ config: this.#parts.runtime.candidate(update), ...(options.onStep ? { onStep: options.onStep } : {}) });
  }

  /**
   * Sends a real test mail straight through the configured server (not through the outbox); with `settings`, through
   * the server those settings (not saved) describe, on a connection of its own.
   */
  async sendTest(to: string, options: { settings?: SettingsUpdate } = {}): Promise<MailReceipt> {
    const { runtime, clock, ids, sender, logger } = this.#parts;
    if (!options.settings) return sender.send(testMail(runtime.config, to, clock.now(), ids.next()));
    const config = runtime.candidate(options.settings);
    const mail = testMail(config, to, clock.now(), ids.next()); // an invalid address fails before anything opens
    if (!config.smtp) return sender.send(mail); // no server in the candidate either: the development catcher
    const once = smtpSender(config.smtp, logger);
    try {
      return await once.send(mail);
    } finally {
      await once.close();
    }
  }
}

function writeOptions(options: TransactionOptions): WriteOptions {
  return options.transaction === undefined ? {} : { transaction: options.transaction };
}
