import { suppressionKey, type SuppressedAddress, type SuppressionList, type SuppressionQuery } from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { SqlRunner, type SqlSettings } from './sql-runner';
import { SUPPRESSIONS, type SuppressionRow } from './tables';

/** The suppression list in PostgreSQL: one row per lower-case address (the key the fan-out joins on). */
export class PostgresSuppressionList implements SuppressionList {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof suppressionStatements>;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = suppressionStatements(schemaName(settings));
  }

  async add(entry: SuppressedAddress): Promise<void> {
    await this.sql.run(this.statements.add, SUPPRESSIONS.inserts.one(entry));
  }

  async has(address: string): Promise<boolean> {
    const { rows } = await this.sql.run(this.statements.has, [suppressionKey(address)]);
    return rows.length > 0;
  }

  async list({ limit, afterAddress }: SuppressionQuery): Promise<SuppressedAddress[]> {
    const { rows } = await this.sql.run<SuppressionRow>(this.statements.list, [
      afterAddress === undefined ? '' : suppressionKey(afterAddress),
      limit,
    ]);
    return rows.map((row) => SUPPRESSIONS.fromRow(row));
  }

  async remove(address: string): Promise<boolean> {
    const { count } = await this.sql.run(this.statements.remove, [suppressionKey(address)]);
    return count > 0;
  }

  async clear(): Promise<number> {
    const { count } = await this.sql.run(this.statements.clear, []);
    return count;
  }
}

function suppressionStatements(schema: string) {
  const table = `"${schema}".${SUPPRESSIONS.name}`;
  return {
    // Already there: the first reason stays (one insert, no update: DeliverDue's hot path).
    add: `INSERT INTO ${table} ${SUPPRESSIONS.insertOne} ON CONFLICT ON CONSTRAINT ${SUPPRESSIONS.primaryKey.name} DO NOTHING`,
    has: `SELECT 1 FROM ${table} WHERE address = $1`,
    // '' sorts before every address, so the first page needs no second statement.
    list: `SELECT ${SUPPRESSIONS.select} FROM ${table} WHERE address > $1 ORDER BY address LIMIT $2`,
    remove: `DELETE FROM ${table} WHERE address = $1`,
    clear: `DELETE FROM ${table}`,
  };
}
