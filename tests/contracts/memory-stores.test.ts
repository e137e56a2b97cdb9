import {
  InMemoryNotificationStore,
  InMemoryPreferenceStore,
  InMemorySettingsStore,
  InMemorySubscriptionStore,
  InMemorySuppressionList,
  InProcessRunLock,
} from '@mailroom/adapters';
import { retentionContract, type RetentionFixture } from './retention.contract';
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

/** One outbox, one lock: the "other node" shares both, as two nodes share one database. */
async function openMemoryRetention(): Promise<RetentionFixture> {
  const stores = await openMemory();
  const lock = new InProcessRunLock();
  return {
    get notifications() {
      return stores.notifications;
    },
    get subscriptions() {
      return stores.subscriptions;
    },
    get settings() {
      return stores.settings;
    },
    get preferences() {
      return stores.preferences;
    },
    get suppressions() {
      return stores.suppressions;
    },
    reset: () => stores.reset(),
    close: () => stores.close(),
    lock,
    otherNode: async () => ({ notifications: stores.notifications, lock, close: async () => {} }),
  };
}

notificationStoreContract('in-memory', openMemory);
retentionContract('in-memory', openMemoryRetention);
subscriptionStoreContract('in-memory', openMemory);
settingsStoreContract('in-memory', openMemory);
preferenceStoreContract('in-memory', openMemory);
suppressionListContract('in-memory', openMemory);
