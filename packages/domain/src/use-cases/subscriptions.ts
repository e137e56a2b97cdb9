import { ValidationError } from '../errors';
import type { KindRegistry } from '../kinds/kind-registry';
import type { KnownKind, KnownPayloads } from '../kinds/payloads';
import type { Delivery } from '../notification';
import type { Clock } from '../ports/clock';
import type { NotificationStore } from '../ports/notification-store';
import type { SubscriptionStore } from '../ports/subscription-store';
import { topic as checkTopic } from '../subscription';
import { recipient as checkRecipient, type RecipientInput } from '../values/recipient';
import { checkDelivery } from './notify';

export interface SubscribeInput {
  readonly recipient: RecipientInput;
  readonly topic: string;
  /** Default `immediate`. */
  readonly delivery?: Delivery;
}

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
  ) {}

  /** Subscribes a user to a topic; subscribing again updates the delivery preference. */
  async subscribe(input: SubscribeInput): Promise<void> {
    const subscriber = checkRecipient(input.recipient);
    const topic = checkTopic(input.topic);
    const delivery = input.delivery === undefined ? 'immediate' : checkDelivery(input.delivery);
    await this.subscriptions.subscribe({ subscriber, topic, delivery, createdAt: this.clock.now() });
  }

  /** Returns false when the user was not subscribed. */
  async unsubscribe(userId: string, topic: string): Promise<boolean> {
    return this.subscriptions.unsubscribe(userId, checkTopic(topic));
  }

  /**
   * One notification of `kind` for every subscriber of `topic`, each with the subscriber's preference.
   * The payload is validated once; the fan-out runs inside the store. Returns how many were added.
   */
  async publish<K extends string>(
    topic: string,
    kind: K,
    payload: K extends KnownKind ? KnownPayloads[K] : Record<string, unknown>,
    options: PublishOptions = {},
  ): Promise<number> {
    const checkedTopic = checkTopic(topic);
    this.kinds.check(kind, payload);
    if (options.eventKey !== undefined && (typeof options.eventKey !== 'string' || options.eventKey === '' || options.eventKey.length > 200)) {
      throw new ValidationError('NOTIFICATION.INVALID_EVENT_KEY', [{ field: 'eventKey', problem: 'must be a string of 1 to 200 characters' }], 'Invalid event key');
    }
    return this.notifications.addForSubscribers({
      topic: checkedTopic,
      kind,
      payload: payload as Record<string, unknown>,
      createdAt: this.clock.now(),
      ...(options.eventKey !== undefined ? { eventKey: options.eventKey } : {}),
    });
  }
}
