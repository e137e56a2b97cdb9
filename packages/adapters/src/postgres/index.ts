export { createMailroomDataSource, mailroomDataSourceOnPool } from './data-source';
export { mailroomMigrations } from './migrations';
export { migrate, type MigrationProgress } from './migrate';
export { connectionError } from './database-unavailable';
export { TypeOrmNotificationStore } from './typeorm-notification-store';
export { TypeOrmSubscriptionStore } from './typeorm-subscription-store';
export { TypeOrmSendQuota } from './typeorm-send-quota';
export { PostgresWakeups } from './postgres-wakeups';
export { EmbeddedPostgresServer } from './embedded-postgres-server';
