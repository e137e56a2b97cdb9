import {
  InMemoryNotificationStore,
  InMemoryPreferenceStore,
  InMemorySettingsStore,
  InMemorySubscriptionStore,
  InMemorySuppressionList,
} from '@mailroom/adapters';
import { suppressionListContract } from './suppression-list.contract';
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
    suppressions: new InMemorySuppressionList(),
    async reset() {
      fixture.suppressions = new InMemorySuppressionList();
      fixture.settings = new InMemorySettingsStore();
      fixture.preferences = new InMemoryPreferenceStore();
      fixture.subscriptions = new InMemorySubscriptionStore();
      fixture.notifications = new InMemoryNotificationStore(fixture.subscriptions, undefined, fixture.preferences, fixture.suppressions);
    },
    async close() {},
  };
  return Promise.resolve(fixture);
}

notificationStoreContract('in-memory', openMemory);
subscriptionStoreContract('in-memory', openMemory);
settingsStoreContract('in-memory', openMemory);
preferenceStoreContract('in-memory', openMemory);
suppressionListContract('in-memory', openMemory);
