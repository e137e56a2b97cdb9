import { aRecipient, aSubscription } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

/** The SubscriptionStore contract, run against every adapter of the port. */
export function subscriptionStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    const stores = useStores(open);
    const store = () => stores().subscriptions;

    it('lists a subscriber with their details and preference', async () => {
      const subscriber = aRecipient({ userId: 'u1', name: 'Grace Hopper', locale: 'en-GB', timeZone: 'Europe/London' });
      await store().subscribe(aSubscription({ subscriber, topic: 'connector:hr-feed', delivery: 'digest' }));
      const page = await store().subscribers('connector:hr-feed', { limit: 10 });
      expect(page.next).toBeUndefined();
      expect(page.subscriptions).toHaveLength(1);
      const [s] = page.subscriptions;
      expect(s!.topic).toBe('connector:hr-feed');
      expect(s!.delivery).toBe('digest');
      expect(s!.subscriber.userId).toBe('u1');
      expect(s!.subscriber.email.address).toBe(subscriber.email.address);
      expect(s!.subscriber.email.name).toBe('Grace Hopper');
      expect(s!.subscriber.locale).toBe('en-GB');
      expect(s!.subscriber.timeZone).toBe('Europe/London');
    });

    it('keeps one subscription per user and topic; subscribing again updates the preference', async () => {
      const subscriber = aRecipient({ userId: 'u1' });
      await store().subscribe(aSubscription({ subscriber, delivery: 'immediate' }));
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u1', address: 'new@example.com' }), delivery: 'digest' }));
      const { subscriptions } = await store().subscribers('query:42', { limit: 10 });
      expect(subscriptions).toHaveLength(1);
      expect(subscriptions[0]!.delivery).toBe('digest');
      expect(subscriptions[0]!.subscriber.email.address).toBe('new@example.com');
      expect(await store().countSubscribers('query:42')).toBe(1);
    });

    it('unsubscribes, and says whether there was a subscription', async () => {
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u1' }) }));
      expect(await store().unsubscribe('u1', 'query:42')).toBe(true);
      expect(await store().unsubscribe('u1', 'query:42')).toBe(false);
      expect(await store().countSubscribers('query:42')).toBe(0);
    });

    it('pages subscribers in user id order', async () => {
      for (const userId of ['u05', 'u01', 'u04', 'u02', 'u03']) await store().subscribe(aSubscription({ subscriber: aRecipient({ userId }) }));
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u00' }), topic: 'query:7' }));
      const first = await store().subscribers('query:42', { limit: 2 });
      expect(first.subscriptions.map((s) => s.subscriber.userId)).toEqual(['u01', 'u02']);
      expect(first.next).toBe('u02');
      const second = await store().subscribers('query:42', { limit: 2, afterUserId: first.next! });
      expect(second.subscriptions.map((s) => s.subscriber.userId)).toEqual(['u03', 'u04']);
      const last = await store().subscribers('query:42', { limit: 2, afterUserId: second.next! });
      expect(last.subscriptions.map((s) => s.subscriber.userId)).toEqual(['u05']);
      expect(last.next).toBeUndefined();
      expect(await store().countSubscribers('query:42')).toBe(5);
    });

    it("lists a user's subscriptions by topic", async () => {
      const subscriber = aRecipient({ userId: 'u1' });
      await store().subscribe(aSubscription({ subscriber, topic: 'query:42' }));
      await store().subscribe(aSubscription({ subscriber, topic: 'connector:hr-feed', delivery: 'digest' }));
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u2' }), topic: 'query:7' }));
      const mine = await store().subscriptionsOf('u1');
      expect(mine.map((s) => [s.topic, s.delivery])).toEqual([
        ['connector:hr-feed', 'digest'],
        ['query:42', 'immediate'],
      ]);
      expect(await store().subscriptionsOf('nobody')).toEqual([]);
    });
  });
}
