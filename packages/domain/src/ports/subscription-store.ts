import type { Subscription, Topic } from '../subscription';

/**
 * Who follows which topic. A topic can have 100 000 subscribers, so nothing reads them into memory: the fan-out
 * runs inside the notification store (`NotificationStore.addForSubscribers`), over the same table.
 */
export interface SubscriptionStore {
  /** Subscribes, or updates the delivery preference (and recipient details) of an existing subscription. */
  subscribe(subscription: Subscription): Promise<void>;
  /** Returns false when there was no such subscription. */
  unsubscribe(userId: string, topic: Topic): Promise<boolean>;
  /** The user's subscriptions, ordered by topic (a host's "what do I follow" page). */
  subscriptionsOf(userId: string): Promise<Subscription[]>;
}
