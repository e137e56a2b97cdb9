import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { PostgresWakeups, TypeOrmNotificationStore, TypeOrmSendQuota, TypeOrmSubscriptionStore, migrate, type MigrationProgress } from '@mailroom/adapters';
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
}

/** The Postgres outbox: stores, the per-minute quota and LISTEN/NOTIFY wake-ups on one initialised DataSource. */
export function postgresModule(options: PostgresModuleOptions, resources: Resources, logger: Logger): ContainerModule {
  return new ContainerModule(async ({ bind }) => {
    const { dataSource, schema } = options;
    if (!dataSource.isInitialized) await dataSource.initialize();
    if (options.owned) resources.add('database pool', () => dataSource.destroy());
    if (options.migrate !== false) {
      const applied = await migrate(dataSource, {
        schema,
        onProgress: (progress) => {
          if (progress.running) logger.info({ migration: progress.running, step: progress.done + 1, of: progress.total, schema }, 'migrating');
          options.onMigrationProgress?.(progress);
        },
      });
      if (applied.length > 0) logger.info({ migrations: applied, schema }, 'database migrated');
    }
    const wakeups = PostgresWakeups.forDataSource(dataSource, {
      schema,
      onError: (error) => logger.warn({ code: error.code, reason: error.message }, 'wake-up connection lost; polling until it is back'),
    });
    await wakeups.start();
    resources.add('wake-up listener', () => wakeups.close());
    bind(TOKENS.NotificationStore).toConstantValue(new TypeOrmNotificationStore(dataSource, { schema }));
    bind(TOKENS.SubscriptionStore).toConstantValue(new TypeOrmSubscriptionStore(dataSource, { schema }));
    bind(TOKENS.SendQuota).toConstantValue(options.rateLimitPerMinute ? new TypeOrmSendQuota(dataSource, { schema, perMinute: options.rateLimitPerMinute }) : undefined);
    bind(TOKENS.Wakeups).toConstantValue(wakeups);
  });
}
