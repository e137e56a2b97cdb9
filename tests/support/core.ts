import { CapturingMailSender, ManualClock, type InMemoryNotificationStore, type InMemorySubscriptionStore } from '@mailroom/adapters';
import { TOKENS } from '@mailroom/app';
import { parseConfig } from '../../packages/app/src/config/load-config';
import { createLog } from '../../packages/app/src/logger';
import {
  EmailAddress,
  RetryPolicy,
  type DeliveryListener,
  type DeliveryOutcome,
  type QuotaPause,
  type DeliverySettings,
  type DigestSettings,
  type PayloadLimits,
  type RetrySettings,
  type Settlement,
} from '@mailroom/domain';
import { baseModule } from '../../packages/app/src/container/base-module';
import { composeContainer } from '../../packages/app/src/container/compose';
import { coreModule, kindRegistry } from '../../packages/app/src/container/core-module';
import { opsModule } from '../../packages/app/src/container/ops-module';
import { capturingSenderModule, memoryStoresModule } from '../../packages/app/src/container/memory-module';
import { Resources } from '../../packages/app/src/container/resources';
import { templatesModule } from '../../packages/app/src/container/templates-module';
import { RecordingRenderer } from './recording-renderer';

export interface CoreOptions {
  retry?: Partial<RetrySettings>;
  digest?: DigestSettings;
  delivery?: Partial<DeliverySettings>;
  /** Jitter source for the retry policy; 0.5 means no spread. */
  random?: () => number;
  /** Default: the domain's (64 KiB). */
  payloadLimits?: PayloadLimits;
}

/** Keeps what delivery told its listener, in order. */
export class RecordingDeliveryListener {
  readonly accepted: string[] = [];
  readonly settledBatches: Settlement[][] = [];
  readonly failures: { error: unknown; unsettled: number }[] = [];
  recoveries = 0;
  readonly heartbeatFailures: unknown[] = [];
  readonly outcomes: DeliveryOutcome[] = [];
  readonly quotaPauses: QuotaPause[] = [];

  readonly listener: DeliveryListener = {
    accepted: ({ id }) => void this.accepted.push(id),
    settled: (batch) => void this.settledBatches.push([...batch]),
    settlementFailed: (error, unsettled) => void this.failures.push({ error, unsettled: unsettled.length }),
    settlementRecovered: () => void this.recoveries++,
    heartbeatFailed: (error) => void this.heartbeatFailures.push(error),
    recorded: (outcomes) => void this.outcomes.push(...outcomes),
    quotaPaused: (pause) => void this.quotaPauses.push(pause),
  };
}

/**
 * The core wired by the app's own container modules — the graph production runs — over in-memory adapters, a
 * capturing sender, a recording renderer and a manual clock (real timers: a settlement window is real time).
 */
export function aCore(options: CoreOptions = {}) {
  const { config } = parseConfig({
    from: { address: 'noreply@idm.example.com', name: 'Mailroom' },
    digest: options.digest ?? { intervalMinutes: 60, maxItems: 3 },
    ...(options.payloadLimits ? { limits: { payloadBytes: options.payloadLimits.maxBytes } } : {}),
  });
  const clock = new ManualClock('2026-01-05T09:00:00.000Z');
  const sender = new CapturingMailSender();
  const renderer = new RecordingRenderer();
  const events = new RecordingDeliveryListener();
  const container = composeContainer(
    baseModule(config, createLog('silent'), new Resources()),
    coreModule(config, kindRegistry()),
    opsModule(),
    memoryStoresModule(),
    capturingSenderModule(sender),
    templatesModule(renderer),
  );
  container.rebind(TOKENS.Clock).toConstantValue(clock);
  // No settings module here: the suppression list is in use, as by default.
  container.bind(TOKENS.SuppressionEnabled).toConstantValue(() => true);
  container.rebind(TOKENS.RetryPolicy).toConstantValue(new RetryPolicy(options.retry ?? {}, options.random ?? (() => 0.5)));
  container.rebind(TOKENS.DeliveryListener).toConstantValue(events.listener);
  container.rebind(TOKENS.DeliverySettings).toConstantValue({
    from: EmailAddress.parse('Mailroom <noreply@idm.example.com>'),
    leaseMs: 300_000,
    concurrency: 3,
    stoppedProbeDelayMs: 60_000,
    owner: 'test-worker',
    ...options.delivery,
  });
  const store = container.get(TOKENS.NotificationStore) as InMemoryNotificationStore;
  const kinds = container.get(TOKENS.KindRegistry);
  const retry = container.get(TOKENS.RetryPolicy);
  const timers = container.get(TOKENS.Timers);
  return {
    clock,
    store,
    subscriptionStore: container.get(TOKENS.SubscriptionStore) as InMemorySubscriptionStore,
    sender,
    renderer,
    kinds,
    retry,
    timers,
    /** What a test's own `DeliverDue` needs of this core; it adds its listener, quota or suppressions. */
    deliveryDeps: { store, sender, renderer, kinds, clock, timers, retry },
    events,
    deliverDue: container.get(TOKENS.DeliverDue),
    notify: container.get(TOKENS.Notify),
    subscriptions: container.get(TOKENS.Subscriptions),
    digests: container.get(TOKENS.SendDigests),
    outbox: container.get(TOKENS.Outbox),
  };
}
