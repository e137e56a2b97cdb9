import type { Subscription, SubscriptionStore, Topic } from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { SqlRunner, type SqlSettings } from './sql-runner';
import { SUBSCRIPTIONS, type SubscriptionRow } from './tables';

/**
 * Subscriptions in PostgreSQL, one row per topic and user (the primary key). The notification store fans out
 * over this table inside the database.
 */
export class PostgresSubscriptionStore implements SubscriptionStore {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof subscriptionStatements>;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = subscriptionStatements(schemaName(settings));
  }

  async subscribe(s: Subscription): Promise<void> {
    await this.sql.run(this.statements.upsert, SUBSCRIPTIONS.inserts.one(s));
  }

  async unsubscribe(userId: string, topic: Topic): Promise<boolean> {
    const { count } = await this.sql.run(this.statements.delete, [topic, userId]);
    return count > 0;
  }

  async subscriptionsOf(userId: string): Promise<Subscription[]> {
    const { rows } = await this.sql.run<SubscriptionRow>(this.statements.ofUser, [userId]);
    return rows.map((row) => SUBSCRIPTIONS.fromRow(row));
  }
}

function subscriptionStatements(schema: string) {
  const table = `"${schema}".${SUBSCRIPTIONS.name}`;
  const columns = SUBSCRIPTIONS.select;
  // Subscribing again updates the preference and the recipient's details; the key and the first subscription date stay.
  const kept: readonly string[] = [...SUBSCRIPTIONS.primaryKey.columns, 'created_at'];
  const updated = SUBSCRIPTIONS.insertColumns.filter((c) => !kept.includes(c));
  return {
    upsert: `
      INSERT INTO ${table} ${SUBSCRIPTIONS.insertOne}
      ON CONFLICT ON CONSTRAINT ${SUBSCRIPTIONS.primaryKey.name} DO UPDATE SET
        ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    delete: `DELETE FROM ${table} WHERE topic = $1 AND user_id = $2`,
    ofUser: `SELECT ${columns} FROM ${table} WHERE user_id = $1 ORDER BY topic`,
  };
}
