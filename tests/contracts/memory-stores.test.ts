import { InMemoryNotificationStore, InMemoryPreferenceStore, InMemorySettingsStore, InMemorySubscriptionStore } from '@mailroom/adapters';
import { preferenceStoreContract } from './preference-store.contract';
import { notificationStoreContract } from './notification-store.contract';
import { settingsStoreContract } from './settings-store.contract';
import { subscriptionStoreContract } from './subscription-store.contract';
import type { StoreFixture } from './store-fixture';

function openMemory(): Promise<StoreFixture> {
  const fixture = {
    subscriptions: new InMemorySubscriptionStore(),
    notifications: undefined as unknown as InMemoryNotificationStore,
    settings: new InMemorySettingsStore(),
    preferences: new InMemoryPreferenceStore(),
    async reset() {
      fixture.settings = new InMemorySettingsStore();
      fixture.preferences = new InMemoryPreferenceStore();
      fixture.subscriptions = new InMemorySubscriptionStore();
      fixture.notifications = new InMemoryNotificationStore(fixture.subscriptions, undefined, fixture.preferences);
    },
    async close() {},
  };
  return Promise.resolve(fixture);
}

notificationStoreContract('in-memory', openMemory);
subscriptionStoreContract('in-memory', openMemory);
settingsStoreContract('in-memory', openMemory);
preferenceStoreContract('in-memory', openMemory);
