import { describeOnSystemPostgres, openPostgresRetention, openPostgresStores, SYSTEM_POSTGRES_URL } from '../support/postgres';
import { notificationStoreContract } from './notification-store.contract';
import { retentionContract } from './retention.contract';
import { preferenceStoreContract } from './preference-store.contract';
import { suppressionListContract } from './suppression-list.contract';
import { settingsStoreContract } from './settings-store.contract';
import { subscriptionStoreContract } from './subscription-store.contract';

// Each suite gets its own schema in the system PostgreSQL, dropped after it.
describeOnSystemPostgres()('system PostgreSQL', () => {
  notificationStoreContract('Postgres stores on the system PostgreSQL', () => openPostgresStores(SYSTEM_POSTGRES_URL));
  retentionContract('Postgres stores on the system PostgreSQL', () => openPostgresRetention(SYSTEM_POSTGRES_URL));
  subscriptionStoreContract('Postgres stores on the system PostgreSQL', () => openPostgresStores(SYSTEM_POSTGRES_URL));
  settingsStoreContract('Postgres stores on the system PostgreSQL', () => openPostgresStores(SYSTEM_POSTGRES_URL));
  preferenceStoreContract('Postgres stores on the system PostgreSQL', () => openPostgresStores(SYSTEM_POSTGRES_URL));
  suppressionListContract('Postgres stores on the system PostgreSQL', () => openPostgresStores(SYSTEM_POSTGRES_URL));
});
