import { ContainerModule } from 'inversify';
import {
  connectionError,
  migrate,
  PostgresWakeups,
  PostgresNotificationStore,
  PostgresRunLock,
  PostgresSendQuota,
  PostgresSettingsStore,
  PostgresPreferenceStore,
  PostgresSuppressionList,
  PostgresSubscriptionStore,
  type MigrationProgress,
} from '@mailroom/adapters';
import type { Pool } from 'pg';
import type { Log } from '../logging/log';
import type { DataSource } from 'typeorm';
import type { MailroomConfig } from '../config';
import { mailroomDatabase, type MailroomDatabase } from '../database-setup';
import type { Resources } from './resources';
import { TOKENS } from './tokens';

export interface PostgresModuleOptions {
  /** The host's own DataSource or pg Pool; else `database.url`, or (development) the embedded PostgreSQL. */
  readonly host?: { readonly dataSource?: DataSource; readonly pool?: Pool };
  /** Run the migrations before the stores are used (default true). */
  readonly migrate?: boolean;
  readonly onMigrationProgress?: (progress: MigrationProgress) => void;
}

/**
 * The Postgres outbox: the database, its migrations, the stores, the per-minute quota, the stored settings,
 * LISTEN/NOTIFY wake-ups and the advisory lock retention runs under.
 * Bindings only: the database is connected, migrated and listened to when first resolved — after a host's
 * `configure` replaced what it wanted, so a replaced store opens nothing.
 */
export function postgresModule(config: MailroomConfig, options: PostgresModuleOptions, resources: Resources, logger: Log): ContainerModule {
  const { schema, queryTimeoutMs } = config.database;
  const storeSettings = (db: MailroomDatabase) => ({ schema, queryTimeoutMs, databaseLabel: db.label });
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Database)
      .toDynamicValue(() => mailroomDatabase(config, options.host ?? {}, resources, logger))
      .inSingletonScope();
    bind(TOKENS.DataSource)
      .toResolvedValue(
        async (db: MailroomDatabase) => {
          if (!db.dataSource.isInitialized)
            await db.dataSource.initialize().catch((error: unknown) => Promise.reject(connectionError(db.label, error)));
          if (db.owned) resources.add('database pool', () => db.dataSource.destroy());
          return db.dataSource;
        },
        [TOKENS.Database],
      )
      .inSingletonScope();
    bind(TOKENS.Migrations)
      .toResolvedValue(
        async (db: MailroomDatabase, dataSource: DataSource) => {
          if (options.migrate === false) return [];
          const applied = await migrate(dataSource, {
            schema,
            onProgress: (progress) => {
              if (progress.running)
                logger.info('migrating', { migration: progress.running, step: progress.done + 1, of: progress.total, schema });
              options.onMigrationProgress?.(progress);
            },
          }).catch((error: unknown) => Promise.reject(connectionError(db.label, error)));
          if (applied.length > 0) logger.info('database migrated', { migrations: applied, schema });
          return applied;
        },
        [TOKENS.Database, TOKENS.DataSource],
      )
      .inSingletonScope();
    // The stores need the schema migrated: `Migrations` is a dependency for its order, not its value.
    const onMigrated = [TOKENS.Database, TOKENS.DataSource, TOKENS.Migrations] as const;
    bind(TOKENS.NotificationStore)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) =>
          new PostgresNotificationStore(dataSource, storeSettings(db)),
        [...onMigrated],
      )
      .inSingletonScope();
    bind(TOKENS.SubscriptionStore)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) =>
          new PostgresSubscriptionStore(dataSource, storeSettings(db)),
        [...onMigrated],
      )
      .inSingletonScope();
    bind(TOKENS.QuotaFor)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) => (perMinute: number) =>
          new PostgresSendQuota(dataSource, { ...storeSettings(db), perMinute }),
        [...onMigrated],
      )
      .inSingletonScope();
    bind(TOKENS.PreferenceStore)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) =>
          new PostgresPreferenceStore(dataSource, storeSettings(db)),
        [...onMigrated],
      )
      .inSingletonScope();
    bind(TOKENS.SuppressionList)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) =>
          new PostgresSuppressionList(dataSource, storeSettings(db)),
        [...onMigrated],
      )
      .inSingletonScope();
    bind(TOKENS.SettingsStore)
      .toResolvedValue(
        (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) =>
          new PostgresSettingsStore(dataSource, storeSettings(db)),
        [...onMigrated],
      )
      .inSingletonScope();
    // On the database, not yet connected: the lock's connection settings are read when a purge starts.
    bind(TOKENS.RunLock)
      .toResolvedValue((db: MailroomDatabase) => PostgresRunLock.forDataSource(db.dataSource, storeSettings(db)), [TOKENS.Database])
      .inSingletonScope();
    bind(TOKENS.Wakeups)
      .toResolvedValue(
        async (db: MailroomDatabase, dataSource: DataSource, _migrated: readonly string[]) => {
          const wakeups = PostgresWakeups.forDataSource(dataSource, {
            schema,
            onError: (error) =>
              logger.warn('wake-up connection lost; polling until it is back', { code: error.code, reason: error.message }),
            onRestored: () => logger.info('wake-up connection back'),
          });
          await wakeups.start().catch((error: unknown) => Promise.reject(connectionError(db.label, (error as Error).cause ?? error)));
          resources.add('wake-up listener', () => wakeups.close());
          return wakeups;
        },
        [...onMigrated],
      )
      .inSingletonScope();
  });
}
