export { createMailroomDataSource, mailroomDataSourceOnPool } from './data-source';
export { mailroomMigrations } from './migrations';
export { migrate, type MigrationProgress } from './migrate';
export { connectionError } from './database-unavailable';
export { PostgresNotificationStore } from './postgres-notification-store';
export { PostgresSubscriptionStore } from './postgres-subscription-store';
export { PostgresSendQuota } from './postgres-send-quota';
export { PostgresWakeups } from './postgres-wakeups';
export { EmbeddedPostgresServer } from './embedded-postgres-server';
