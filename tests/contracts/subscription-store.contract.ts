import { aRecipient, aSubscription } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

/** The SubscriptionStore contract, run against every adapter of the port. */
export function subscriptionStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    const stores = useStores(open);
    const store = () => stores().subscriptions;

    it("keeps a subscriber's details and preference", async () => {
      const subscriber = aRecipient({ userId: 'u1', name: 'Grace Hopper', locale: 'en-GB', timeZone: 'Europe/London' });
      await store().subscribe(aSubscription({ subscriber, topic: 'connector:hr-feed', delivery: 'digest' }));
      const mine = await store().subscriptionsOf('u1');
      expect(mine).toHaveLength(1);
      const [s] = mine;
      expect(s!.topic).toBe('connector:hr-feed');
      expect(s!.delivery).toBe('digest');
      expect(s!.subscriber.userId).toBe('u1');
      expect(s!.subscriber.email.address).toBe(subscriber.email.address);
      expect(s!.subscriber.email.name).toBe('Grace Hopper');
      expect(s!.subscriber.locale).toBe('en-GB');
      expect(s!.subscriber.timeZone).toBe('Europe/London');
    });

    it('keeps one subscription per user and topic; subscribing again updates the preference and details, not the date', async () => {
      const subscriber = aRecipient({ userId: 'u1' });
      const first = aSubscription({ subscriber, delivery: 'immediate' });
      await store().subscribe(first);
      await store().subscribe(
        aSubscription({
          subscriber: aRecipient({ userId: 'u1', address: 'new@example.com' }),
          delivery: 'digest',
          createdAt: new Date(first.createdAt.getTime() + 60_000),
        }),
      );
      const mine = await store().subscriptionsOf('u1');
      expect(mine).toHaveLength(1);
      expect(mine[0]!.delivery).toBe('digest');
      expect(mine[0]!.subscriber.email.address).toBe('new@example.com');
      expect(mine[0]!.createdAt.getTime()).toBe(first.createdAt.getTime());
    });

    it('unsubscribes, and says whether there was a subscription', async () => {
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u1' }) }));
      await store().subscribe(aSubscription({ subscriber: aRecipient({ userId: 'u2' }) }));
      expect(await store().unsubscribe('u1', 'query:42')).toBe(true);
      expect(await store().unsubscribe('u1', 'query:42')).toBe(false);
      expect(await store().subscriptionsOf('u1')).toEqual([]);
      expect(await store().subscriptionsOf('u2')).toHaveLength(1);
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
