import { DataSource } from 'typeorm';
import { mailroomEntities } from './entities';
import { mailroomMigrations } from './migrations';
import { schemaName, type PostgresSettings } from './postgres-settings';

/**
 * A DataSource over `pg` for Mailroom's own pool. Not yet initialised: call `initialize()`, then `migrate()`.
 * Never `synchronize`: the schema changes only through migrations.
 */
export function createMailroomDataSource(settings: PostgresSettings): DataSource {
  const schema = schemaName(settings);
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    schema,
    entities: mailroomEntities(schema),
    migrations: mailroomMigrations(schema),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (which would need a superuser).
    installExtensions: false,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? 'mailroom',
  });
}
