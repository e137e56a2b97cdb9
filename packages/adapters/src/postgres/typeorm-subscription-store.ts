import type { Subscription, SubscriptionStore, Topic } from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import type { SubscriptionRow } from './entities';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { recipientValues, SUBSCRIPTION_COLUMNS as COLUMNS, toSubscription } from './rows';
import { SqlRunner, type SqlSettings } from './sql-runner';

/**
 * Subscriptions in PostgreSQL, one row per topic and user (the primary key). The notification store fans out
 * over this table inside the database.
 */
export class TypeOrmSubscriptionStore implements SubscriptionStore {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof subscriptionStatements>;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = subscriptionStatements(`"${schemaName(settings)}".subscriptions`);
  }

  async subscribe(s: Subscription): Promise<void> {
    await this.sql.run(this.statements.upsert, [s.topic, ...recipientValues(s.subscriber), s.delivery, s.createdAt]);
  }

  async unsubscribe(userId: string, topic: Topic): Promise<boolean> {
    const { count } = await this.sql.run(this.statements.delete, [topic, userId]);
    return count > 0;
  }

  async subscriptionsOf(userId: string): Promise<Subscription[]> {
    const { rows } = await this.sql.run<SubscriptionRow>(this.statements.ofUser, [userId]);
    return rows.map(toSubscription);
  }
}

function subscriptionStatements(table: string) {
  return {
    /** Subscribing again updates the preference and the recipient's details; the first subscription date stays. */
    upsert: `
      INSERT INTO ${table} (topic, user_id, address, display_name, locale, time_zone, delivery, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT ON CONSTRAINT pk_subscriptions DO UPDATE SET
        address = excluded.address, display_name = excluded.display_name, locale = excluded.locale,
        time_zone = excluded.time_zone, delivery = excluded.delivery`,
    delete: `DELETE FROM ${table} WHERE topic = $1 AND user_id = $2`,
    ofUser: `SELECT ${COLUMNS} FROM ${table} WHERE user_id = $1 ORDER BY topic`,
  };
}
