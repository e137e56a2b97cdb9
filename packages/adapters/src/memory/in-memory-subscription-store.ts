import type { Subscription, SubscriptionStore, Topic } from '@mailroom/domain';

const byUserId = (a: Subscription, b: Subscription) =>
  a.subscriber.userId < b.subscriber.userId ? -1 : a.subscriber.userId > b.subscriber.userId ? 1 : 0;

/** Subscriptions in a map: for tests and hosts' tests. Passes the same contract suite as the Postgres store. */
export class InMemorySubscriptionStore implements SubscriptionStore {
  /** topic → userId → subscription */
  private readonly byTopic = new Map<Topic, Map<string, Subscription>>();

  async subscribe(subscription: Subscription): Promise<void> {
    let subscribers = this.byTopic.get(subscription.topic);
    if (!subscribers) this.byTopic.set(subscription.topic, (subscribers = new Map<string, Subscription>()));
    const existing = subscribers.get(subscription.subscriber.userId);
    subscribers.set(subscription.subscriber.userId, existing ? { ...subscription, createdAt: existing.createdAt } : subscription);
  }

  async unsubscribe(userId: string, topic: Topic): Promise<boolean> {
    return this.byTopic.get(topic)?.delete(userId) ?? false;
  }

  async subscriptionsOf(userId: string): Promise<Subscription[]> {
    const found: Subscription[] = [];
    for (const subscribers of this.byTopic.values()) {
      const s = subscribers.get(userId);
      if (s) found.push(s);
    }
    return found.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  /** Every subscription of a topic, ordered by user id (the in-memory notification store fans out over it). */
  all(topic: Topic): Subscription[] {
    return [...(this.byTopic.get(topic)?.values() ?? [])].sort(byUserId);
  }
}
