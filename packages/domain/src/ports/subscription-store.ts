import type { Subscription, Topic } from '../subscription';

export interface SubscriberPage {
  readonly subscriptions: Subscription[];
  /** Pass as `afterUserId` for the next page; undefined on the last page. */
  readonly next?: string;
}

/** Who follows which topic. A topic can have 100 000 subscribers: reads are paged. */
export interface SubscriptionStore {
  /** Subscribes, or updates the delivery preference (and recipient details) of an existing subscription. */
  subscribe(subscription: Subscription): Promise<void>;
  /** Returns false when there was no such subscription. */
  unsubscribe(userId: string, topic: Topic): Promise<boolean>;
  /** Subscribers of a topic ordered by user id, paged. */
  subscribers(topic: Topic, page: { limit: number; afterUserId?: string }): Promise<SubscriberPage>;
  countSubscribers(topic: Topic): Promise<number>;
  /** The user's subscriptions, ordered by topic. */
  subscriptionsOf(userId: string): Promise<Subscription[]>;
}
