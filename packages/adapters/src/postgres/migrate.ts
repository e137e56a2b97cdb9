import { MigrationExecutor, type DataSource } from 'typeorm';
import { PostgresError } from './postgres-errors';
import { schemaName, type SchemaSettings } from './postgres-settings';

/**
 * Brings Mailroom's schema to the latest version; the app calls it at start. Idempotent, and safe when several
 * processes start at once: they queue on an advisory lock (held by the connection that migrates, so a pool of
 * one connection is enough), and the later ones find nothing left to do.
 *
 * The DataSource must carry Mailroom's migrations for the schema (`createMailroomDataSource` does; a host's own
 * DataSource can list `mailroomMigrations(schema)` with `schema` set the same). Returns the migrations it ran.
 */
export async function migrate(dataSource: DataSource, settings: SchemaSettings = {}): Promise<string[]> {
  const schema = schemaName(settings);
  if (!dataSource.migrations.some((m) => (m.name ?? m.constructor.name).startsWith('Mailroom'))) {
    throw new PostgresError(
      'POSTGRES.MIGRATION_FAILED',
      `The DataSource carries none of Mailroom's migrations: build it with createMailroomDataSource(), or add mailroomMigrations("${schema}") to its migrations.`,
    );
  }
  const lockKey = `mailroom:migrate:${schema}`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
    try {
      // TypeORM keeps its migrations table in the schema, so the schema must exist before it looks.
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const ran = await executor.executePendingMigrations();
      return ran.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
    }
  } catch (error) {
    if (error instanceof PostgresError) throw error;
    throw new PostgresError(
      'POSTGRES.MIGRATION_FAILED',
      `Migrating Mailroom's schema "${schema}" failed: ${(error as Error).message}. Check that the database user may create schemas and tables (or create the schema "${schema}" for it), then start again.`,
      { cause: error },
    );
  } finally {
    await runner.release();
  }
}
