import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import type { TableFacts } from './table';
import { NOTIFICATIONS, SEND_QUOTA, SETTINGS, SETTINGS_AUDIT, SUBSCRIPTIONS } from './tables';
import { NOTIFICATION_STATUSES_SQL } from './migrations';

export type { NotificationRow, SendQuotaRow, SubscriptionRow } from './tables';

/**
 * The tables as TypeORM entities: what the migrations must produce (a test checks that TypeORM finds nothing to
 * change). Their columns come from the table definitions; indexes and checks, which only the migrations and
 * TypeORM's comparison need, are written here. The stores query with raw SQL.
 */
export function mailroomEntities(schema: string): EntitySchema[] {
  const deliveries = `delivery IN ('immediate', 'digest')`;
  const notifications = new EntitySchema({
    name: 'MailroomNotification',
    tableName: NOTIFICATIONS.name,
    schema,
    columns: entityColumns(NOTIFICATIONS),
    checks: [
      { name: 'ck_notifications_delivery', expression: deliveries },
      { name: 'ck_notifications_status', expression: `status IN ${NOTIFICATION_STATUSES_SQL}` },
    ],
    indices: [
      { name: 'ux_notifications_dedupe_key', columns: ['dedupe_key'], unique: true, where: 'dedupe_key IS NOT NULL' },
      {
        name: 'ix_notifications_due',
        columns: ['next_attempt_at', 'created_at', 'seq'],
        where: `delivery = 'immediate' AND status IN ('pending', 'sending')`,
      },
      { name: 'ix_notifications_digest_pending', columns: ['user_id', 'created_at'], where: `delivery = 'digest' AND status = 'pending'` },
      { name: 'ix_notifications_created', columns: ['created_at', 'id'] },
      { name: 'ix_notifications_dead', columns: ['created_at', 'id'], where: `status = 'dead'` },
    ],
  });
  const subscriptions = new EntitySchema({
    name: 'MailroomSubscription',
    tableName: SUBSCRIPTIONS.name,
    schema,
    columns: entityColumns(SUBSCRIPTIONS),
    checks: [{ name: 'ck_subscriptions_delivery', expression: deliveries }],
    indices: [{ name: 'ix_subscriptions_user', columns: ['user_id', 'topic'] }],
  });
  const sendQuota = new EntitySchema({ name: 'MailroomSendQuota', tableName: SEND_QUOTA.name, schema, columns: entityColumns(SEND_QUOTA) });
  const settings = new EntitySchema({ name: 'MailroomSettings', tableName: SETTINGS.name, schema, columns: entityColumns(SETTINGS) });
  const settingsAudit = new EntitySchema({
    name: 'MailroomSettingsAudit',
    tableName: SETTINGS_AUDIT.name,
    schema,
    columns: entityColumns(SETTINGS_AUDIT),
  });
  return [notifications, subscriptions, sendQuota, settings, settingsAudit];
}

function entityColumns(table: TableFacts): Record<string, EntitySchemaColumnOptions> {
  const primary = { primary: true, primaryKeyConstraintName: table.primaryKey.name };
  return Object.fromEntries(
    Object.entries(table.columns).map(([name, c]) => [
      name,
      {
        type: c.type,
        ...(c.nullable ? { nullable: true } : {}),
        ...(c.collation ? { collation: c.collation } : {}),
        ...(c.default !== undefined ? { default: c.default } : {}),
        ...(c.generated ? { generated: c.generated } : {}),
        ...(table.primaryKey.columns.includes(name) ? primary : {}),
      },
    ]),
  );
}
