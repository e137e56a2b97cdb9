import { EntitySchema } from 'typeorm';
import type { Delivery, DeliveryError, NotificationStatus } from '@mailroom/domain';

/** The recipient as columns, on both tables. */
export interface RecipientColumns {
  user_id: string;
  address: string;
  display_name: string | null;
  locale: string | null;
  time_zone: string | null;
}

/** One row of `<schema>.notifications`, as raw SQL returns it (property names are the column names). */
export interface NotificationRow extends RecipientColumns {
  id: string;
  /** Insertion order: breaks ties between mails due at the same moment. */
  seq: string;
  kind: string;
  topic: string | null;
  payload: Record<string, unknown>;
  delivery: Delivery;
  status: NotificationStatus;
  attempts: number;
  /** Claims so far, never reset: settlements are fenced on it. */
  claim_seq: number;
  claimed_by: string | null;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: DeliveryError | null;
  dedupe_key: string | null;
  created_at: Date;
  sent_at: Date | null;
  message_id: string | null;
  digest_id: string | null;
}

export interface SubscriptionRow extends RecipientColumns {
  topic: string;
  delivery: Delivery;
  created_at: Date;
}

export interface SendQuotaRow {
  minute: Date;
  used: number;
  /** What the last `take` granted: lets one upsert both spend the budget and say how much it spent. */
  last_granted: number;
}

const recipientColumns = {
  user_id: { type: 'text', collation: 'C' },
  address: { type: 'text' },
  display_name: { type: 'text', nullable: true },
  locale: { type: 'text', nullable: true },
  time_zone: { type: 'text', nullable: true },
} as const;

/**
 * The tables as TypeORM entities: what the migrations must produce (a test checks that TypeORM finds nothing to
 * change). The stores query with raw SQL; the entities are the typed description of the rows.
 */
export function mailroomEntities(schema: string): EntitySchema[] {
  const notifications = new EntitySchema<NotificationRow>({
    name: 'MailroomNotification',
    tableName: 'notifications',
    schema,
    columns: {
      id: { type: 'uuid', primary: true, primaryKeyConstraintName: 'pk_notifications' },
      seq: { type: 'bigint', generated: 'increment' },
      kind: { type: 'text' },
      ...recipientColumns,
      topic: { type: 'text', nullable: true, collation: 'C' },
      payload: { type: 'jsonb' },
      delivery: { type: 'text' },
      status: { type: 'text' },
      attempts: { type: 'integer', default: 0 },
      claim_seq: { type: 'integer', default: 0 },
      claimed_by: { type: 'text', nullable: true },
      next_attempt_at: { type: 'timestamptz' },
      lease_until: { type: 'timestamptz', nullable: true },
      last_error: { type: 'jsonb', nullable: true },
      dedupe_key: { type: 'text', nullable: true, collation: 'C' },
      created_at: { type: 'timestamptz' },
      sent_at: { type: 'timestamptz', nullable: true },
      message_id: { type: 'text', nullable: true },
      digest_id: { type: 'uuid', nullable: true },
    },
    checks: [
      { name: 'ck_notifications_delivery', expression: `delivery IN ('immediate', 'digest')` },
      { name: 'ck_notifications_status', expression: `status IN ('pending', 'sending', 'sent', 'dead', 'digested')` },
    ],
    indices: [
      { name: 'ux_notifications_dedupe_key', columns: ['dedupe_key'], unique: true, where: 'dedupe_key IS NOT NULL' },
      { name: 'ix_notifications_due', columns: ['next_attempt_at', 'created_at', 'seq'], where: `delivery = 'immediate' AND status IN ('pending', 'sending')` },
      { name: 'ix_notifications_digest_pending', columns: ['user_id', 'created_at'], where: `delivery = 'digest' AND status = 'pending'` },
      { name: 'ix_notifications_created', columns: ['created_at', 'id'] },
    ],
  });
  const subscriptions = new EntitySchema<SubscriptionRow>({
    name: 'MailroomSubscription',
    tableName: 'subscriptions',
    schema,
    columns: {
      topic: { type: 'text', primary: true, collation: 'C', primaryKeyConstraintName: 'pk_subscriptions' },
      ...recipientColumns,
      user_id: { ...recipientColumns.user_id, primary: true, primaryKeyConstraintName: 'pk_subscriptions' },
      delivery: { type: 'text' },
      created_at: { type: 'timestamptz' },
    },
    checks: [{ name: 'ck_subscriptions_delivery', expression: `delivery IN ('immediate', 'digest')` }],
    indices: [{ name: 'ix_subscriptions_user', columns: ['user_id', 'topic'] }],
  });
  const sendQuota = new EntitySchema<SendQuotaRow>({
    name: 'MailroomSendQuota',
    tableName: 'send_quota',
    schema,
    columns: {
      minute: { type: 'timestamptz', primary: true, primaryKeyConstraintName: 'pk_send_quota' },
      used: { type: 'integer' },
      last_granted: { type: 'integer' },
    },
  });
  return [notifications, subscriptions, sendQuota];
}
