import { ContainerModule } from 'inversify';
import {
  DeliverDue,
  KindRegistry,
  Notify,
  Outbox,
  Preferences,
  PurgeOldNotifications,
  Suppressions,
  RetryPolicy,
  SendDigests,
  Subscriptions,
  type DeliveryListener,
  type PurgeListener,
  type SendQuota,
  type KindDefinition,
} from '@mailroom/domain';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SystemClock, SystemTimers, UuidIdSource, type UnsubscribeTokens } from '@mailroom/adapters';
import { describeSetting, type MailroomConfig } from '../config';
import { deliveryLog } from '../worker/delivery-log';
import { DeliveryMonitor } from '../worker/delivery-monitor';
import { Worker } from '../worker/worker';
import { purgeLog } from '../worker/purge-log';
import { PurgeSchedule } from '../worker/purge-schedule';
import { LiveSendQuota } from '../settings/live-send-quota';
import { deliveryConcurrency, retrySettings, senderAddress } from '../settings/live-settings';
import { TOKENS } from './tokens';
import { bindUnsubscribe } from './unsubscribe-bindings';

/** The built-in kinds and the host's. */
export function kindRegistry(hostKinds: readonly KindDefinition[] = []): KindRegistry {
  const kinds = new KindRegistry();
  for (const k of hostKinds) kinds.define(k);
  return kinds;
}

/**
 * The core: clock, ids, kinds, the use cases and the worker, built over whatever adapters the other modules bind.
 * Every binding is a singleton made when first resolved: nothing here opens anything.
 */
export function coreModule(config: MailroomConfig, kinds: KindRegistry, unsubscribe?: UnsubscribeTokens): ContainerModule {
  const payloadLimits = { maxBytes: config.limits.payloadBytes, maxBytesSetting: describeSetting('limits.payloadBytes') };
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.Timers).toConstantValue(new SystemTimers());
    bind(TOKENS.IdSource).toConstantValue(new UuidIdSource());
    bind(TOKENS.KindRegistry).toConstantValue(kinds);
    bind(TOKENS.RetryPolicy).toConstantValue(new RetryPolicy(retrySettings(config)));
    // At the configured rate; the stored settings' rate is applied before anything is sent (LiveSettings).
    bind(TOKENS.SendQuota)
      .toResolvedValue(
        (quotaFor: (perMinute: number) => SendQuota) => new LiveSendQuota(quotaFor, config.smtp?.rateLimitPerMinute),
        [TOKENS.QuotaFor],
      )
      .inSingletonScope();
    bind(TOKENS.Notify)
      .toResolvedValue(
        (store, kinds, clock, ids, suppress) => new Notify(store, kinds, clock, ids, payloadLimits, suppress),
        [TOKENS.NotificationStore, TOKENS.KindRegistry, TOKENS.Clock, TOKENS.IdSource, TOKENS.SuppressionEnabled],
      )
      .inSingletonScope();
    bind(TOKENS.Subscriptions)
      .toResolvedValue(
        (subscriptions, notifications, kinds, clock, suppress) =>
          new Subscriptions(subscriptions, notifications, kinds, clock, payloadLimits, suppress),
        [TOKENS.SubscriptionStore, TOKENS.NotificationStore, TOKENS.KindRegistry, TOKENS.Clock, TOKENS.SuppressionEnabled],
      )
      .inSingletonScope();
    bindUnsubscribe(bind, config, unsubscribe);
    bind(TOKENS.DeliverySettings)
      .toResolvedValue(
        (smtp) => ({
          from: senderAddress(config),
          leaseMs: config.worker.leaseSeconds * 1000,
          owner: workerName(),
          concurrency: deliveryConcurrency(smtp),
          stoppedProbeDelayMs: 60_000,
        }),
        [TOKENS.SmtpConfig],
      )
      .inSingletonScope();
    bind(TOKENS.DeliveryListener)
      .toResolvedValue(
        (logger, monitor, metrics, events) => allListeners(deliveryLog(logger), monitor.listener, metrics.listener, events.listener),
        [TOKENS.Logger, TOKENS.DeliveryMonitor, TOKENS.Metrics, TOKENS.Events],
      )
      .inSingletonScope();
    bind(TOKENS.DeliverDue)
      .toResolvedValue(
        (store, sender, renderer, kinds, clock, timers, retry, quota, listener, settings, links, suppressions, suppress) =>
          new DeliverDue(
            {
              store,
              sender,
              renderer,
              kinds,
              clock,
              timers,
              retry,
              listener,
              ...(quota ? { quota } : {}),
              ...(links ? { unsubscribe: links } : {}),
              suppressions: { list: suppressions, enabled: suppress },
            },
            settings,
          ),
        [
          TOKENS.NotificationStore,
          TOKENS.MailSender,
          TOKENS.TemplateRenderer,
          TOKENS.KindRegistry,
          TOKENS.Clock,
          TOKENS.Timers,
          TOKENS.RetryPolicy,
          TOKENS.SendQuota,
          TOKENS.DeliveryListener,
          TOKENS.DeliverySettings,
          TOKENS.UnsubscribeLinks,
          TOKENS.SuppressionList,
          TOKENS.SuppressionEnabled,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.DeliveryMonitor)
      .toResolvedValue((clock) => new DeliveryMonitor(clock), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.SendDigests)
      .toResolvedValue(
        (store, clock, ids) => new SendDigests(store, clock, ids, config.digest),
        [TOKENS.NotificationStore, TOKENS.Clock, TOKENS.IdSource],
      )
      .inSingletonScope();
    bind(TOKENS.Suppressions)
      .toResolvedValue((list) => new Suppressions(list), [TOKENS.SuppressionList])
      .inSingletonScope();
    bind(TOKENS.Preferences)
      .toResolvedValue(
        (store, kinds, clock) => new Preferences(store, kinds, clock),
        [TOKENS.PreferenceStore, TOKENS.KindRegistry, TOKENS.Clock],
      )
      .inSingletonScope();
    bind(TOKENS.PurgeListener)
      .toResolvedValue(
        (logger, metrics): PurgeListener => {
          const listeners = [purgeLog(logger), metrics.purgeListener];
          return {
            batchPurged: (status, count) => listeners.forEach((l) => l.batchPurged?.(status, count)),
            purged: (report) => listeners.forEach((l) => l.purged?.(report)),
            listenerFailed: (error) => listeners.forEach((l) => l.listenerFailed?.(error)),
          };
        },
        [TOKENS.Logger, TOKENS.Metrics],
      )
      .inSingletonScope();
    // At the configured days; the stored settings' are applied at start (LiveSettings).
    bind(TOKENS.PurgeOldNotifications)
      .toResolvedValue(
        (store, lock, clock, timers, listener) => new PurgeOldNotifications(store, lock, clock, timers, config.retention, listener),
        [TOKENS.NotificationStore, TOKENS.RunLock, TOKENS.Clock, TOKENS.Timers, TOKENS.PurgeListener],
      )
      .inSingletonScope();
    bind(TOKENS.PurgeSchedule)
      .toResolvedValue((retention, logger) => new PurgeSchedule(retention, logger), [TOKENS.PurgeOldNotifications, TOKENS.Logger])
      .inSingletonScope();
    bind(TOKENS.Outbox)
      .toResolvedValue(
        (store, clock, retention) => new Outbox(store, clock, retention),
        [TOKENS.NotificationStore, TOKENS.Clock, TOKENS.PurgeOldNotifications],
      )
      .inSingletonScope();
    bind(TOKENS.Worker)
      .toResolvedValue(
        (deliverDue, digests, store, clock, logger, wakeups, purges, metrics) =>
          new Worker(
            deliverDue,
            digests,
            store,
            clock,
            logger,
            { batchSize: config.worker.batchSize, pollIntervalMs: config.worker.pollIntervalMs },
            wakeups,
            purges,
            metrics,
          ),
        [
          TOKENS.DeliverDue,
          TOKENS.SendDigests,
          TOKENS.NotificationStore,
          TOKENS.Clock,
          TOKENS.Logger,
          TOKENS.Wakeups,
          TOKENS.PurgeSchedule,
          TOKENS.Metrics,
        ],
      )
      .inSingletonScope();
  });
}

/** This process as a claim owner: host, pid and a random part (a pid repeats across restarts and containers). */
function workerName(): string {
  return `${hostname()}/${process.pid}/${randomBytes(2).toString('hex')}`;
}

/**
 * Listeners told the same things, in order. Only what one of them listens to is in the result: delivery keeps the
 * outcomes of its attempts only while someone wants them.
 */
function allListeners(...listeners: DeliveryListener[]): DeliveryListener {
  type Tell = (...args: unknown[]) => void;
  const combined: Record<string, Tell> = {};
  for (const key of new Set(listeners.flatMap((l) => Object.keys(l)))) {
    const tells = listeners.map((l) => (l as Record<string, Tell | undefined>)[key]).filter((tell): tell is Tell => tell !== undefined);
    combined[key] = (...args) => {
      for (const tell of tells) tell(...args);
    };
  }
  return combined;
}
