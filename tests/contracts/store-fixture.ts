import type { NotificationStore, PreferenceStore, SettingsStore, SubscriptionStore, SuppressionList } from '@mailroom/domain';

/** One store pair under test. The notification store fans out over the subscription store beside it. */
export interface StoreFixture {
  readonly notifications: NotificationStore;
  readonly subscriptions: SubscriptionStore;
  readonly settings: SettingsStore;
  readonly preferences: PreferenceStore;
  readonly suppressions: SuppressionList;
  /** Empties the stores; called before each test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the fixture once per suite, resets it before each test, closes it after the suite. */
export function useStores(open: () => Promise<StoreFixture>): () => StoreFixture {
  let fixture: StoreFixture | undefined;
  beforeAll(async () => {
    fixture = await open();
  });
  beforeEach(async () => {
    await fixture!.reset();
  });
  afterAll(async () => {
    await fixture?.close();
  });
  return () => fixture!;
}
