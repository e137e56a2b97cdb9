import { CapturingMailSender, InMemoryNotificationStore, InMemorySubscriptionStore, ManualClock } from '@mailroom/adapters';
import {
  DeliverDue,
  EmailAddress,
  KindRegistry,
  Notify,
  Outbox,
  RetryPolicy,
  SendDigests,
  Subscriptions,
  type DeliverySettings,
  type DigestSettings,
  type IdSource,
  type PayloadLimits,
  type RetrySettings,
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

/** The core wired over in-memory adapters and a manual clock. */
export function aCore(options: CoreOptions = {}) {
  const clock = new ManualClock('2026-01-05T09:00:00.000Z');
  const ids = new SequentialIds();
  const subscriptionStore = new InMemorySubscriptionStore();
  const store = new InMemoryNotificationStore(subscriptionStore, ids);
  const sender = new CapturingMailSender();
  const renderer = new RecordingRenderer();
  const kinds = new KindRegistry();
  const retry = new RetryPolicy(options.retry ?? {}, options.random ?? (() => 0.5));
  const deliverDue = new DeliverDue(
    { store, sender, renderer, kinds, clock, retry },
    { from: EmailAddress.parse('Mailroom <noreply@idm.example.com>'), leaseMs: 300_000, concurrency: 3, stoppedProbeDelayMs: 60_000, ...options.delivery },
  );
  return {
    clock,
    store,
    subscriptionStore,
    sender,
    renderer,
    kinds,
    retry,
    deliverDue,
    notify: new Notify(store, kinds, clock, ids, options.payloadLimits),
    subscriptions: new Subscriptions(subscriptionStore, store, kinds, clock, options.payloadLimits),
    digests: new SendDigests(store, clock, ids, options.digest ?? { intervalMinutes: 60, maxItems: 3 }),
    outbox: new Outbox(store, clock),
  };
}
