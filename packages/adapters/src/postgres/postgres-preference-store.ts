import type { Preference, PreferenceChoice, PreferenceKey, PreferenceStore } from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { SqlRunner, type SqlSettings } from './sql-runner';
import { PREFERENCES, type PreferenceRow } from './tables';

/** The recipients' choices in PostgreSQL: one row per user, kind and topic ('' for the kind on every topic). */
export class PostgresPreferenceStore implements PreferenceStore {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof preferenceStatements>;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = preferenceStatements(schemaName(settings));
  }

  async set(preference: Preference): Promise<void> {
    await this.sql.run(this.statements.upsert, PREFERENCES.inserts.one(preference));
  }

  async clear(key: PreferenceKey): Promise<boolean> {
    const { count } = await this.sql.run(this.statements.delete, [key.userId, key.kind, key.topic ?? '']);
    return count > 0;
  }

  async of(userId: string): Promise<Preference[]> {
    const { rows } = await this.sql.run<PreferenceRow>(this.statements.ofUser, [userId]);
    return rows.map((row) => PREFERENCES.fromRow(row));
  }

  async lookup(key: PreferenceKey): Promise<PreferenceChoice | undefined> {
    const { rows } = await this.sql.run<{ choice: PreferenceChoice }>(this.statements.lookup, [key.userId, key.kind, key.topic ?? '']);
    return rows[0]?.choice;
  }
}

function preferenceStatements(schema: string) {
  const table = `"${schema}".${PREFERENCES.name}`;
  return {
    upsert: `
      INSERT INTO ${table} ${PREFERENCES.insertOne}
      ON CONFLICT ON CONSTRAINT ${PREFERENCES.primaryKey.name} DO UPDATE SET choice = excluded.choice, updated_at = excluded.updated_at`,
    delete: `DELETE FROM ${table} WHERE user_id = $1 AND kind = $2 AND topic = $3`,
    ofUser: `SELECT ${PREFERENCES.select} FROM ${table} WHERE user_id = $1 ORDER BY kind, topic`,
    // The choice on the topic wins over the kind-wide one ('' sorts first, so order by topic descending).
    lookup: `SELECT choice FROM ${table} WHERE user_id = $1 AND kind = $2 AND topic IN ($3, '') ORDER BY topic DESC LIMIT 1`,
  };
}
