import { InMemoryNotificationStore, InMemorySettingsStore, InMemorySubscriptionStore } from '@mailroom/adapters';
import { notificationStoreContract } from './notification-store.contract';
import { settingsStoreContract } from './settings-store.contract';
import { subscriptionStoreContract } from './subscription-store.contract';
import type { StoreFixture } from './store-fixture';

function openMemory(): Promise<StoreFixture> {
  const fixture = {
    subscriptions: new InMemorySubscriptionStore(),
    notifications: undefined as unknown as InMemoryNotificationStore,
    settings: new InMemorySettingsStore(),
    async reset() {
      fixture.settings = new InMemorySettingsStore();
      fixture.subscriptions = new InMemorySubscriptionStore();
      fixture.notifications = new InMemoryNotificationStore(fixture.subscriptions);
    },
    async close() {},
  };
  return Promise.resolve(fixture);
}

notificationStoreContract('in-memory', openMemory);
subscriptionStoreContract('in-memory', openMemory);
settingsStoreContract('in-memory', openMemory);
