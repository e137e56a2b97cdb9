import { CapturingMailSender, InMemoryNotificationStore, InMemorySubscriptionStore, ManualClock, SystemTimers } from '@mailroom/adapters';
import {
  DeliverDue,
  EmailAddress,
  KindRegistry,
  Notify,
  Outbox,
  RetryPolicy,
  SendDigests,
  Subscriptions,
  type DeliveryListener,
  type DeliverySettings,
  type DigestSettings,
  type IdSource,
  type PayloadLimits,
  type RetrySettings,
  type Settlement,
} from '@mailroom/domain';
import { randomUUID } from 'node:crypto';
import { RecordingRenderer } from './recording-renderer';

export class SequentialIds implements IdSource {
  next(): string {
    return randomUUID();
  }
}

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

  readonly listener: DeliveryListener = {
    accepted: ({ id }) => void this.accepted.push(id),
    settled: (batch) => void this.settledBatches.push([...batch]),
    settlementFailed: (error, unsettled) => void this.failures.push({ error, unsettled }),
    settlementRecovered: () => void this.recoveries++,
    heartbeatFailed: (error) => void this.heartbeatFailures.push(error),
  };
}

/** The core wired over in-memory adapters and a manual clock (real timers: a settlement window is real time). */
export function aCore(options: CoreOptions = {}) {
  const clock = new ManualClock('2026-01-05T09:00:00.000Z');
  const ids = new SequentialIds();
  const subscriptionStore = new InMemorySubscriptionStore();
  const store = new InMemoryNotificationStore(subscriptionStore, ids);
  const sender = new CapturingMailSender();
  const renderer = new RecordingRenderer();
  const kinds = new KindRegistry();
  const retry = new RetryPolicy(options.retry ?? {}, options.random ?? (() => 0.5));
  const timers = new SystemTimers();
  const events = new RecordingDeliveryListener();
  const deliverDue = new DeliverDue(
    { store, sender, renderer, kinds, clock, timers, retry, listener: events.listener },
    { from: EmailAddress.parse('Mailroom <noreply@idm.example.com>'), leaseMs: 300_000, concurrency: 3, stoppedProbeDelayMs: 60_000, owner: 'test-worker', ...options.delivery },
  );
  return {
    clock,
    store,
    subscriptionStore,
    sender,
    renderer,
    kinds,
    retry,
    timers,
    events,
    deliverDue,
    notify: new Notify(store, kinds, clock, ids, options.payloadLimits),
    subscriptions: new Subscriptions(subscriptionStore, store, kinds, clock, options.payloadLimits),
    digests: new SendDigests(store, clock, ids, options.digest ?? { intervalMinutes: 60, maxItems: 3 }),
    outbox: new Outbox(store, clock),
  };
}
