import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { connectionError, PostgresWakeups, PostgresNotificationStore, PostgresSendQuota, PostgresSubscriptionStore, migrate, type MigrationProgress } from '@mailroom/adapters';
import type { Logger } from 'pino';
import type { Resources } from './resources';
import { TOKENS } from './tokens';

export interface PostgresModuleOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly rateLimitPerMinute?: number;
  /** Run the migrations before anything else (default true). */
  readonly migrate?: boolean;
  /** Whether Mailroom owns the DataSource (and closes it on stop); false for a host's own. */
  readonly owned: boolean;
  readonly onMigrationProgress?: (progress: MigrationProgress) => void;
  /** Longest one database call may take (any pool, the host's too). */
  readonly queryTimeoutMs: number;
  /** The database as errors name it, without its password. */
  readonly label: string;
}

/** The Postgres outbox: stores, the per-minute quota and LISTEN/NOTIFY wake-ups on one initialised DataSource. */
export function postgresModule(options: PostgresModuleOptions, resources: Resources, logger: Logger): ContainerModule {
  return new ContainerModule(async ({ bind }) => {
    const { dataSource, schema, label } = options;
    if (!dataSource.isInitialized) await dataSource.initialize().catch((error: unknown) => Promise.reject(connectionError(label, error)));
    if (options.owned) resources.add('database pool', () => dataSource.destroy());
    if (options.migrate !== false) {
      const applied = await migrate(dataSource, {
        schema,
        onProgress: (progress) => {
          if (progress.running) logger.info({ migration: progress.running, step: progress.done + 1, of: progress.total, schema }, 'migrating');
          options.onMigrationProgress?.(progress);
        },
      }).catch((error: unknown) => Promise.reject(connectionError(label, error)));
      if (applied.length > 0) logger.info({ migrations: applied, schema }, 'database migrated');
    }
    const wakeups = PostgresWakeups.forDataSource(dataSource, {
      schema,
      onError: (error) => logger.warn({ code: error.code, reason: error.message }, 'wake-up connection lost; polling until it is back'),
      onRestored: () => logger.info('wake-up connection back'),
    });
    await wakeups.start().catch((error: unknown) => Promise.reject(connectionError(label, (error as Error).cause ?? error)));
    resources.add('wake-up listener', () => wakeups.close());
    const settings = { schema, queryTimeoutMs: options.queryTimeoutMs, databaseLabel: label };
    bind(TOKENS.NotificationStore).toConstantValue(new PostgresNotificationStore(dataSource, settings));
    bind(TOKENS.SubscriptionStore).toConstantValue(new PostgresSubscriptionStore(dataSource, settings));
    bind(TOKENS.SendQuota).toConstantValue(options.rateLimitPerMinute ? new PostgresSendQuota(dataSource, { ...settings, perMinute: options.rateLimitPerMinute }) : undefined);
    bind(TOKENS.Wakeups).toConstantValue(wakeups);
  });
}
