import type { TokenObserver } from '@mailroom/adapters';
import { PURGEABLE_STATUSES, type DeliveryFailureClass, type DeliveryListener, type PurgeListener } from '@mailroom/domain';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BacklogProbe } from './backlog-probe';

const FAILURE_CLASSES: readonly DeliveryFailureClass[] = ['transient', 'permanent', 'authentication', 'configuration', 'template'];
const STATUSES = ['pending', 'sending', 'dead'] as const;
/** From a relay on the same host (a few ms) to a slow remote server near the socket timeout. */
const SEND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Mailroom's metric names, each written once. */
const METRIC = {
  sent: 'mailroom_mails_sent_total',
  failed: 'mailroom_mails_failed_total',
  dead: 'mailroom_mails_dead_total',
  sendSeconds: 'mailroom_send_duration_seconds',
  tokenFetches: 'mailroom_oauth_token_fetches_total',
  tokenFailures: 'mailroom_oauth_token_failures_total',
  quotaPauses: 'mailroom_quota_pauses_total',
  digestRuns: 'mailroom_digest_runs_total',
  digestsCreated: 'mailroom_digests_created_total',
  purged: 'mailroom_notifications_purged_total',
  outboxMails: 'mailroom_outbox_mails',
  digestItems: 'mailroom_outbox_digest_items',
  oldestPendingAge: 'mailroom_outbox_oldest_pending_age_seconds',
  databaseUp: 'mailroom_database_up',
} as const;

/** What `mailroom.metrics` shows a host: the prom-client registry Mailroom's metrics are in. */
export interface MailroomMetrics {
  /** The host's registry (`createMailroom({ metrics: { registry } })`), else one of Mailroom's own (not prom-client's global one). */
  readonly registry: Registry;
}

/**
 * Mailroom's Prometheus metrics, each named `mailroom_…` with its help text: counters fed by delivery, the token
 * sources and the digest scheduler as things happen, and the outbox gauges computed when scraped from one cached
 * backlog query. All of them leave the registry when this Mailroom stops, so another may register them again.
 */
export class PromClientMetrics implements MailroomMetrics {
  readonly registry: Registry;
  private readonly sent: Counter;
  private readonly failed: Counter<'class'>;
  private readonly dead: Counter<'class'>;
  private readonly sendSeconds: Histogram<'outcome'>;
  private readonly tokenFetches: Counter;
  private readonly tokenFailures: Counter<'class'>;
  private readonly quotaPauses: Counter<'source'>;
  private readonly digestRuns: Counter<'result'>;
  private readonly digestsCreated: Counter;
  private readonly purged: Counter<'status'>;

  constructor(backlog: BacklogProbe, registry: Registry = new Registry()) {
    this.registry = registry;
    // Checked before any is registered, so a refusal leaves the host's registry as it was.
    const taken = Object.values(METRIC).filter((name) => registry.getSingleMetric(name) !== undefined);
    if (taken.length > 0)
      throw new Error(
        `The metrics registry already holds ${taken.join(', ')}: another Mailroom registered its metrics there and is running. ` +
          'Give each Mailroom its own registry (createMailroom({ metrics: { registry } })), or stop the other one first.',
      );
    const registers = [registry];
    this.sent = new Counter({ name: METRIC.sent, help: 'Mails the SMTP server accepted.', registers });
    this.failed = new Counter({
      name: METRIC.failed,
      help: 'Send attempts that failed, by failure class (transient, permanent, authentication, configuration, template); each is retried later, waits for delivery to resume, or is dead-lettered.',
      labelNames: ['class'],
      registers,
    });
    this.dead = new Counter({
      name: METRIC.dead,
      help: 'Mails dead-lettered, by the failure class of their last attempt.',
      labelNames: ['class'],
      registers,
    });
    this.sendSeconds = new Histogram({
      name: METRIC.sendSeconds,
      help: 'Time one send took (waiting for a pooled connection and the SMTP dialogue), by outcome: sent or failed.',
      labelNames: ['outcome'],
      buckets: SEND_BUCKETS,
      registers,
    });
    this.tokenFetches = new Counter({
      name: METRIC.tokenFetches,
      help: 'OAuth2 access tokens fetched from the token endpoint (tokens served from the cache are not counted).',
      registers,
    });
    this.tokenFailures = new Counter({
      name: METRIC.tokenFailures,
      help: 'Requests to the OAuth2 token endpoint that failed, by class (authentication, configuration, transient).',
      labelNames: ['class'],
      registers,
    });
    this.quotaPauses = new Counter({
      name: METRIC.quotaPauses,
      help: 'Times delivery paused for a sending quota: the per-minute rate limit spent (source="rate-limit") or the server refusing every mail for a while (source="server").',
      labelNames: ['source'],
      registers,
    });
    this.digestRuns = new Counter({
      name: METRIC.digestRuns,
      help: "Digest runs of this process's scheduler, by result: ok or failed.",
      labelNames: ['result'],
      registers,
    });
    this.digestsCreated = new Counter({ name: METRIC.digestsCreated, help: 'Digest mails created.', registers });
    this.purged = new Counter({
      name: METRIC.purged,
      help: "Outbox rows retention deleted, by status (sent, digested, skipped, suppressed, dead): this node's purges.",
      labelNames: ['status'],
      registers,
    });
    outboxGauges(backlog, registers);
    // Every series from the start, at 0: a rate over the first failure needs the 0 before it.
    for (const c of FAILURE_CLASSES) {
      this.failed.inc({ class: c }, 0);
      this.dead.inc({ class: c }, 0);
    }
    for (const c of ['transient', 'authentication', 'configuration']) this.tokenFailures.inc({ class: c }, 0);
    for (const source of ['rate-limit', 'server']) this.quotaPauses.inc({ source }, 0);
    for (const result of ['ok', 'failed']) this.digestRuns.inc({ result }, 0);
    for (const status of PURGEABLE_STATUSES) this.purged.inc({ status }, 0);
  }

  /** Counts what delivery records: sends, failures and dead letters by class, send times, quota pauses. */
  readonly listener: DeliveryListener = {
    recorded: (outcomes) => {
      for (const o of outcomes) {
        if (o.type === 'sent') this.sent.inc();
        else {
          this.failed.inc({ class: o.failure });
          if (o.type === 'dead') this.dead.inc({ class: o.failure });
        }
        if (o.sendMs !== undefined) this.sendSeconds.observe({ outcome: o.type === 'sent' ? 'sent' : 'failed' }, o.sendMs / 1000);
      }
    },
    quotaPaused: (pause) => this.quotaPauses.inc({ source: pause.source }),
  };

  /** Counts the token sources' requests to the token endpoint. */
  readonly tokenObserver: TokenObserver = {
    fetched: () => this.tokenFetches.inc(),
    failed: (error) => this.tokenFailures.inc({ class: error.failure }),
  };

  /** Counts retention's deletes as each statement ends (a long purge moves the counter as it goes). */
  readonly purgeListener: PurgeListener = {
    batchPurged: (status, count) => this.purged.inc({ status }, count),
  };

  /** One digest run: how many digests it created, or that it failed. */
  digestRun(result: { readonly digests: number } | 'failed'): void {
    if (result === 'failed') return void this.digestRuns.inc({ result: 'failed' });
    this.digestRuns.inc({ result: 'ok' });
    this.digestsCreated.inc(result.digests);
  }

  /** Takes Mailroom's metrics out of the registry (at stop): a host's registry can then take another Mailroom's. */
  unregister(): void {
    for (const name of Object.values(METRIC)) this.registry.removeSingleMetric(name);
  }
}

/**
 * The outbox gauges, set from one backlog reading when scraped (the probe reuses it for a few seconds). While the
 * database does not answer they read NaN — unknown, never a reassuring 0 — and `mailroom_database_up` reads 0.
 */
function outboxGauges(backlog: BacklogProbe, registers: Registry[]): void {
  new Gauge({
    name: METRIC.outboxMails,
    help: 'Immediate mails in the outbox by status: pending (due or waiting for a retry), sending (claimed by a worker), dead (dead letters).',
    labelNames: ['status'],
    registers,
    async collect() {
      const r = await backlog.read();
      for (const status of STATUSES) this.set({ status }, r.ok ? r.backlog[status] : NaN);
    },
  });
  new Gauge({
    name: METRIC.digestItems,
    help: "Digest items waiting for their recipient's next digest.",
    registers,
    async collect() {
      const r = await backlog.read();
      this.set(r.ok ? r.backlog.digestItems : NaN);
    },
  });
  new Gauge({
    name: METRIC.oldestPendingAge,
    help: 'Age of the oldest immediate mail not sent yet (pending or in flight), in seconds; 0 when none waits.',
    registers,
    async collect() {
      const r = await backlog.read();
      const oldest = r.ok ? r.backlog.oldestPendingAt : undefined;
      this.set(!r.ok ? NaN : oldest ? Math.max(0, (r.at.getTime() - oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: METRIC.databaseUp,
    help: "1 when the outbox's backlog query answered (the database is reachable), 0 when it did not.",
    registers,
    async collect() {
      this.set((await backlog.read()).ok ? 1 : 0);
    },
  });
}
