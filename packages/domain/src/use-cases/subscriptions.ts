import { IssueCollector } from '../errors';
import type { WriteOptions } from '../host-transaction';
import type { KindRegistry } from '../kinds/kind-registry';
import { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from '../kinds/payload-limits';
import type { PayloadOf } from '../kinds/payloads';
import type { Delivery } from '../notification';
import type { Clock } from '../ports/clock';
import type { NotificationStore } from '../ports/notification-store';
import type { SubscriptionStore } from '../ports/subscription-store';
import { topic as checkTopic, type Subscription } from '../subscription';
import { recipient as checkRecipient, type UserRecipientInput } from '../values/recipient';
import { checkDelivery, checkKey } from './notify';

/** What the host passes to `subscribe`: who follows which topic, and how they want it delivered. */
export interface SubscribeInput {
  /** With the host's user id: subscriptions are kept per user. */
  readonly recipient: UserRecipientInput;
  readonly topic: string;
  /** Default `immediate`. */
  readonly delivery?: Delivery;
}

/** Options of `publish`. */
export interface PublishOptions {
  /** Publishing the same event key twice to a topic notifies nobody the second time. */
  readonly eventKey?: string;
}

/** Topic subscriptions and the fan-out of one event to every subscriber. */
export class Subscriptions {
  constructor(
    private readonly subscriptions: SubscriptionStore,
    private readonly notifications: NotificationStore,
    private readonly kinds: KindRegistry,
    private readonly clock: Clock,
    private readonly limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
    /** Whether the fan-out records subscribers on the suppression list as `suppressed` (`suppression.enabled`). */
    private readonly suppress: () => boolean = () => false,
  ) {}

  /** Subscribes a user to a topic; subscribing again updates the delivery preference. */
  async subscribe(input: SubscribeInput): Promise<void> {
    const issues = new IssueCollector();
    const subscriber = issues.check(() => checkRecipient(input.recipient));
    const topic = issues.check(() => checkTopic(input.topic));
    const delivery = input.delivery === undefined ? 'immediate' : issues.check(() => checkDelivery(input.delivery));
    issues.done('Invalid subscription');
    await this.subscriptions.subscribe({ subscriber: subscriber!, topic: topic!, delivery: delivery!, createdAt: this.clock.now() });
  }

  /** Returns false when the user was not subscribed. */
  async unsubscribe(userId: string, topic: string): Promise<boolean> {
    return this.subscriptions.unsubscribe(checkKey(userId, 'userId', 'RECIPIENT.INVALID', 200), checkTopic(topic));
  }

  /** The user's subscriptions, ordered by topic, each with its delivery preference. */
  async subscriptionsOf(userId: string): Promise<Subscription[]> {
    return this.subscriptions.subscriptionsOf(checkKey(userId, 'userId', 'RECIPIENT.INVALID', 200));
  }

  /**
   * One notification of `kind` for every subscriber of `topic`, each with the subscriber's delivery, or their
   * choice for the kind when they made one ("off" records it as `skipped`, unless the kind is mandatory).
   * The payload is validated once; the fan-out runs inside the store (inside the host's transaction, with
   * `options.transaction`). Returns how many were added.
   */
  async publish<K extends string>(
    topic: string,
    kind: K,
    payload: PayloadOf<K>,
    options: PublishOptions & WriteOptions = {},
  ): Promise<number> {
    const issues = new IssueCollector();
    const checkedTopic = issues.check(() => checkTopic(topic));
    const definition = issues.check(() => this.kinds.definitionOf(kind));
    this.kinds.collectPayloadIssues(definition, payload, this.limits, issues);
    if (options.eventKey !== undefined) issues.check(() => checkKey(options.eventKey, 'eventKey', 'NOTIFICATION.INVALID_EVENT_KEY', 200));
    issues.done('Invalid event');
    return this.notifications.addForSubscribers(
      {
        topic: checkedTopic!,
        kind,
        payload: payload as Record<string, unknown>,
        createdAt: this.clock.now(),
        mandatory: definition!.mandatory === true,
        suppress: this.suppress(),
        ...(options.eventKey !== undefined ? { eventKey: options.eventKey } : {}),
      },
      options.transaction === undefined ? {} : { transaction: options.transaction },
    );
  }
}
