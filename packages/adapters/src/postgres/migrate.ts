import { MigrationExecutor, type DataSource } from 'typeorm';
import { mailroomDataSourceFor } from './data-source';
import { PostgresError } from './postgres-errors';
import { schemaName, type SchemaSettings } from './postgres-settings';

/** Told before each migration runs and once when all are done. */
export interface MigrationProgress {
  /** Migrations applied so far in this run. */
  readonly done: number;
  /** Migrations this run applies. */
  readonly total: number;
  /** The one starting now; absent once all are done. */
  readonly running?: string;
}

export interface MigrateSettings extends SchemaSettings {
  /** Told before each migration and once after the last (not at all when nothing is pending). */
  readonly onProgress?: (progress: MigrationProgress) => void;
}

/**
 * Brings Mailroom's schema to the latest version; the app calls it at start. Idempotent, and safe when several
 * processes start at once: they queue on an advisory lock (held by the connection that migrates, so a pool of
 * one connection is enough), and the later ones find nothing left to do.
 *
 * Any DataSource over PostgreSQL will do: one from `createMailroomDataSource` migrates itself; with a host's own,
 * Mailroom opens a short-lived DataSource on the same database, so its migrations and their table stay in its
 * schema and out of the host's. Returns the names of the migrations it ran.
 */
export async function migrate(dataSource: DataSource, settings: MigrateSettings = {}): Promise<string[]> {
  const schema = schemaName(settings);
  if (carriesMailroomMigrations(dataSource, schema)) return migrateWith(dataSource, schema, settings.onProgress);
  const own = mailroomDataSourceFor(dataSource, { schema, poolSize: 1 });
  await own.initialize();
  try {
    return await migrateWith(own, schema, settings.onProgress);
  } finally {
    await own.destroy();
  }
}

function carriesMailroomMigrations(dataSource: DataSource, schema: string): boolean {
  return (
    dataSource.options.type === 'postgres' &&
    dataSource.options.schema === schema &&
    dataSource.migrations.some((m) => (m as { mailroomSchema?: string }).mailroomSchema === schema)
  );
}

async function migrateWith(dataSource: DataSource, schema: string, onProgress: MigrateSettings['onProgress']): Promise<string[]> {
  const lockKey = `mailroom:migrate:${schema}`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
    try {
      // TypeORM keeps its migrations table in the schema, so the schema must exist before it looks. Created only when
      // missing: PostgreSQL checks CREATE on the database even for CREATE SCHEMA IF NOT EXISTS of an existing schema,
      // which would refuse a user that owns the schema an administrator made for it.
      const found = (await runner.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema])) as unknown[];
      if (found.length === 0) await runner.query(`CREATE SCHEMA "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      const pending = await executor.getPendingMigrations();
      // One at a time, each in its own transaction, so progress can be told and a failure keeps the ones before.
      for (const [done, migration] of pending.entries()) {
        onProgress?.({ done, total: pending.length, running: migration.name });
        await runner.startTransaction();
        try {
          await executor.executeMigration(migration);
          await runner.commitTransaction();
        } catch (error) {
          await runner.rollbackTransaction().catch(() => undefined); // the migration's error is the one to report
          throw error;
        }
      }
      if (pending.length > 0) onProgress?.({ done: pending.length, total: pending.length });
      return pending.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
    }
  } catch (error) {
    throw new PostgresError(
      'POSTGRES.MIGRATION_FAILED',
      `Migrating Mailroom's schema "${schema}" failed: ${(error as Error).message}. Check that the database user may create schemas and tables (or create the schema "${schema}" for it), then start again.`,
      { cause: error },
    );
  } finally {
    await runner.release();
  }
}
