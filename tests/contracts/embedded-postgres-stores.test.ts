import { openPostgresRetention, openPostgresStores, startTemporaryEmbeddedPostgres } from '../support/postgres';
import { notificationStoreContract } from './notification-store.contract';
import { retentionContract } from './retention.contract';
import { preferenceStoreContract } from './preference-store.contract';
import { suppressionListContract } from './suppression-list.contract';
import { settingsStoreContract } from './settings-store.contract';
import { subscriptionStoreContract } from './subscription-store.contract';

// One embedded server for the file; each suite gets its own schema in it.
let embedded: Awaited<ReturnType<typeof startTemporaryEmbeddedPostgres>> | undefined;
beforeAll(async () => {
  embedded = await startTemporaryEmbeddedPostgres();
});
afterAll(async () => {
  await embedded?.stop();
});

notificationStoreContract('Postgres stores on embedded PostgreSQL', () => openPostgresStores(embedded!.server.url));
retentionContract('Postgres stores on embedded PostgreSQL', () => openPostgresRetention(embedded!.server.url));
subscriptionStoreContract('Postgres stores on embedded PostgreSQL', () => openPostgresStores(embedded!.server.url));
settingsStoreContract('Postgres stores on embedded PostgreSQL', () => openPostgresStores(embedded!.server.url));
preferenceStoreContract('Postgres stores on embedded PostgreSQL', () => openPostgresStores(embedded!.server.url));
suppressionListContract('Postgres stores on embedded PostgreSQL', () => openPostgresStores(embedded!.server.url));
