import type { Container } from 'inversify';
import type { UnsubscribeTokens } from '@mailroom/adapters';
import type {
  Clock,
  DeliverDue,
  IdSource,
  MailSender,
  NotificationStore,
  Notify,
  Outbox,
  Preferences,
  Subscriptions,
  Suppressions,
  Unsubscribe,
} from '@mailroom/domain';
import type { Log } from '../logging/log';
import type { BacklogProbe } from '../ops/backlog-probe';
import type { EventHub } from '../ops/mailroom-events';
import type { PromClientMetrics } from '../ops/prom-client-metrics';
import type { LiveSettings } from '../settings/live-settings';
import type { RuntimeSettings } from '../settings/runtime-settings';
import type { TemplatesAdmin } from '../settings/templates-admin';
import type { DeliveryMonitor } from '../worker/delivery-monitor';
import type { Worker } from '../worker/worker';
import type { Resources } from './resources';
import { TOKENS } from './tokens';

/** What `Mailroom` works with, resolved once from the container (the composition root's last step). */
export interface MailroomParts {
  /** The container itself: hosts and tests may read any binding from it. */
  readonly container: Container;
  /** The effective configuration with its secrets (Mailroom shows only a redacted copy) and the admins' changes. */
  readonly runtime: RuntimeSettings;
  /** Applies changed settings to the running parts; polls the store while the worker runs. */
  readonly live: LiveSettings;
  /** The templates admins edit. */
  readonly templates: TemplatesAdmin;
  readonly logger: Log;
  readonly resources: Resources;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly notify: Notify;
  readonly subscriptions: Subscriptions;
  readonly outbox: Outbox;
  readonly preferences: Preferences;
  readonly suppressions: Suppressions;
  readonly store: NotificationStore;
  readonly sender: MailSender;
  readonly deliverDue: DeliverDue;
  readonly monitor: DeliveryMonitor;
  readonly worker: Worker;
  readonly metrics: PromClientMetrics;
  readonly events: EventHub;
  readonly backlog: BacklogProbe;
  /** Checks one-click unsubscribe tokens; undefined without an unsubscribe key. */
  readonly unsubscribeTokens: UnsubscribeTokens | undefined;
  /**
   * Applies verified unsubscribes. Resolved on first use, like the PreferenceStore it writes to: a host that replaced
   * the other stores (and opens no database) is not made to open one for a route it may never serve.
   */
  readonly unsubscribe: () => Promise<Unsubscribe>;
}

/**
 * Resolves everything Mailroom uses. What opens connections is resolved first and one at a time — the database
 * (connected, migrated), the stored settings, the wake-up listener, the SMTP pool — so a failure leaves nothing
 * half-open behind the caller's clean-up; the rest is plain objects over them.
 */
export async function resolveMailroomParts(container: Container): Promise<MailroomParts> {
  const store = await container.getAsync(TOKENS.NotificationStore);
  await container.getAsync(TOKENS.SubscriptionStore);
  const runtime = await container.getAsync(TOKENS.RuntimeSettings);
  await container.getAsync(TOKENS.SendQuota);
  await container.getAsync(TOKENS.Wakeups);
  const sender = await container.getAsync(TOKENS.MailSender);
  return {
    container,
    runtime,
    // Last: it brings the parts onto the stored settings before anything is sent.
    live: await container.getAsync(TOKENS.LiveSettings),
    templates: await container.getAsync(TOKENS.TemplatesAdmin),
    store,
    sender,
    logger: await container.getAsync(TOKENS.Logger),
    resources: await container.getAsync(TOKENS.Resources),
    clock: await container.getAsync(TOKENS.Clock),
    ids: await container.getAsync(TOKENS.IdSource),
    notify: await container.getAsync(TOKENS.Notify),
    subscriptions: await container.getAsync(TOKENS.Subscriptions),
    outbox: await container.getAsync(TOKENS.Outbox),
    preferences: await container.getAsync(TOKENS.Preferences),
    suppressions: await container.getAsync(TOKENS.Suppressions),
    deliverDue: await container.getAsync(TOKENS.DeliverDue),
    monitor: await container.getAsync(TOKENS.DeliveryMonitor),
    worker: await container.getAsync(TOKENS.Worker),
    metrics: await container.getAsync(TOKENS.Metrics),
    events: await container.getAsync(TOKENS.Events),
    backlog: await container.getAsync(TOKENS.BacklogProbe),
    unsubscribeTokens: await container.getAsync(TOKENS.UnsubscribeTokens),
    unsubscribe: once(() => container.getAsync(TOKENS.Unsubscribe)),
  };
}

/** The value of `make`, made on the first call; a failed attempt is tried again on the next call. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
