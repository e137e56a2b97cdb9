import type { ServiceIdentifier } from 'inversify';
import type {
  Clock,
  DeliverDue,
  DeliveryListener,
  DeliverySettings,
  Timers,
  IdSource,
  KindRegistry,
  MailSender,
  Notify,
  NotificationStore,
  Outbox,
  RetryPolicy,
  SendDigests,
  SendQuota,
  SettingsStore,
  PreferenceStore,
  Preferences,
  PurgeListener,
  PurgeOldNotifications,
  RunLock,
  SuppressionList,
  Suppressions,
  Subscriptions,
  SubscriptionStore,
  TemplateRenderer,
  Wakeups,
  Unsubscribe,
} from '@mailroom/domain';
import type { SignedUnsubscribeLinks, UnsubscribeTokens } from '@mailroom/adapters';
import type { Log } from '../logging/log';
import type { DataSource } from 'typeorm';
import type { MailroomConfig, SmtpConfig } from '../config';
import type { MailroomDatabase } from '../database-setup';
import type { Worker } from '../worker/worker';
import type { Resources } from './resources';
import type { LiveSettings } from '../settings/live-settings';
import type { RuntimeSettings } from '../settings/runtime-settings';
import type { TemplatesAdmin } from '../settings/templates-admin';
import type { DeliveryMonitor } from '../worker/delivery-monitor';
import type { BacklogProbe } from '../ops/backlog-probe';
import type { EventHub } from '../ops/mailroom-events';
import type { PromClientMetrics } from '../ops/prom-client-metrics';
import type { PurgeSchedule } from '../worker/purge-schedule';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`mailroom.${name}`);

/** The container's typed tokens: the one place that names every binding. */
export const TOKENS = {
  Config: token<MailroomConfig>('Config'),
  Logger: token<Log>('Logger'),
  Resources: token<Resources>('Resources'),
  Clock: token<Clock>('Clock'),
  Timers: token<Timers>('Timers'),
  IdSource: token<IdSource>('IdSource'),
  KindRegistry: token<KindRegistry>('KindRegistry'),
  RetryPolicy: token<RetryPolicy>('RetryPolicy'),
  NotificationStore: token<NotificationStore>('NotificationStore'),
  SubscriptionStore: token<SubscriptionStore>('SubscriptionStore'),
  SendQuota: token<SendQuota | undefined>('SendQuota'),
  /** A per-minute quota shared by every node (the stores' module binds it; `SendQuota` keeps it at the rate in effect). */
  QuotaFor: token<(perMinute: number) => SendQuota>('QuotaFor'),
  SettingsStore: token<SettingsStore>('SettingsStore'),
  /** The recipients' choices per kind and topic. */
  PreferenceStore: token<PreferenceStore>('PreferenceStore'),
  SuppressionList: token<SuppressionList>('SuppressionList'),
  /** Whether the suppression list is in use now (`suppression.enabled`, a run-time setting). */
  SuppressionEnabled: token<() => boolean>('SuppressionEnabled'),
  /** The effective configuration with the admins' stored settings, and the way to change them. */
  RuntimeSettings: token<RuntimeSettings>('RuntimeSettings'),
  /** The templates admins edit, save, reset and preview. */
  TemplatesAdmin: token<TemplatesAdmin>('TemplatesAdmin'),
  /** Applies changed settings to the running parts. */
  LiveSettings: token<LiveSettings>('LiveSettings'),
  MailSender: token<MailSender>('MailSender'),
  TemplateRenderer: token<TemplateRenderer>('TemplateRenderer'),
  Wakeups: token<Wakeups>('Wakeups'),
  Notify: token<Notify>('Notify'),
  Subscriptions: token<Subscriptions>('Subscriptions'),
  DeliverDue: token<DeliverDue>('DeliverDue'),
  SendDigests: token<SendDigests>('SendDigests'),
  Outbox: token<Outbox>('Outbox'),
  Preferences: token<Preferences>('Preferences'),
  Suppressions: token<Suppressions>('Suppressions'),
  DeliveryMonitor: token<DeliveryMonitor>('DeliveryMonitor'),
  DeliveryListener: token<DeliveryListener>('DeliveryListener'),
  DeliverySettings: token<DeliverySettings>('DeliverySettings'),
  /** The SMTP server mail goes to: the configured one, or (development) the mail catcher; undefined in tests. */
  SmtpConfig: token<SmtpConfig | undefined>('SmtpConfig'),
  /** Which database, not yet connected. */
  Database: token<MailroomDatabase>('Database'),
  /** The database's DataSource, connected. */
  DataSource: token<DataSource>('DataSource'),
  /** The migrations applied at start (none when the schema was up to date, or with `migrate: false`). */
  Migrations: token<readonly string[]>('Migrations'),
  Worker: token<Worker>('Worker'),
  /**
   * One node at a time runs retention: a PostgreSQL advisory lock, or in-process with the memory stores. A host that
   * replaces the NotificationStore with its own replaces this too.
   */
  RunLock: token<RunLock>('RunLock'),
  /** Retention: purges old rows of the final statuses (`retention.*`). */
  PurgeOldNotifications: token<PurgeOldNotifications>('PurgeOldNotifications'),
  /** Told about every purge: the log line (a metric can be added beside it). */
  PurgeListener: token<PurgeListener>('PurgeListener'),
  /** Runs retention on this node every `retention.intervalMinutes` while the worker runs. */
  PurgeSchedule: token<PurgeSchedule>('PurgeSchedule'),
  /** Signs and checks unsubscribe tokens; undefined without an unsubscribe key. */
  UnsubscribeTokens: token<UnsubscribeTokens | undefined>('UnsubscribeTokens'),
  /** The List-Unsubscribe headers of optional mails; undefined without an unsubscribe key. */
  UnsubscribeLinks: token<SignedUnsubscribeLinks | undefined>('UnsubscribeLinks'),
  /** Applies a verified unsubscribe: a topic's subscription ends, or kinds are turned off. */
  Unsubscribe: token<Unsubscribe>('Unsubscribe'),
  /** The outbox's backlog in one cached query, for the metrics' gauges and readiness. */
  BacklogProbe: token<BacklogProbe>('BacklogProbe'),
  /** Mailroom's Prometheus metrics and the registry they are in. */
  Metrics: token<PromClientMetrics>('Metrics'),
  /** The `sent`, `failed` and `dead` events hosts subscribe to. */
  Events: token<EventHub>('Events'),
} as const;
