import {
  EmailAddress,
  type Notification,
  type Preference,
  type Recipient,
  type Subscription,
  type SuppressedAddress,
  suppressionKey,
} from '@mailroom/domain';
import type { RowOf } from './columns';
import { columnsOf, defineTable, nested } from './table';

/*
 * Mailroom's tables, each column once: its SQL type, whether inserts write it, and the domain field it holds.
 * Statements, row mapping and the TypeORM entities are built from these; a test compares them with the migrated
 * database. Adding a column: a migration, and one line here (and the field in the domain, if it should see it).
 */

/** The recipient's columns, on both tables. The address was valid when stored: `parse` makes it an EmailAddress again. */
const RECIPIENT = columnsOf<Recipient>()({
  user_id: { type: 'text', collation: 'C', field: 'userId', insert: true },
  address: {
    type: 'text',
    field: 'email',
    read: (row) => EmailAddress.parse(row.address as string, (row.display_name as string | null) ?? undefined),
    insert: (r) => r.email.address,
  },
  // Read with the address, into the same EmailAddress.
  display_name: { type: 'text', nullable: true, insert: (r) => r.email.name },
  locale: { type: 'text', nullable: true, field: 'locale', insert: true },
  time_zone: { type: 'text', nullable: true, field: 'timeZone', insert: true },
});

/**
 * The outbox. A new row starts as `pendingNotification` has it: pending (or recorded as skipped or suppressed), no
 * attempt and no claim yet (the defaults), due when created; the contract suites hold the two together. Those values are computed in the
 * statement, not sent: one array fewer each to build, send and parse in a batch of inserts.
 */
export const NOTIFICATIONS = defineTable<Notification>()(
  'notifications',
  {
    id: { type: 'uuid', field: 'id', insert: true },
    // Insertion order: breaks ties between mails due at the same moment. Only ordered by, never read.
    seq: { type: 'bigint', generated: 'increment' },
    kind: { type: 'text', field: 'kind', insert: true },
    ...nested<Notification>()('recipient', RECIPIENT),
    topic: { type: 'text', nullable: true, collation: 'C', field: 'topic', insert: true },
    payload: { type: 'jsonb', field: 'payload', insert: true },
    delivery: { type: 'text', field: 'delivery', insert: true },
    status: { type: 'text', field: 'status', insert: true },
    attempts: { type: 'integer', default: 0, field: 'attempts' },
    // Claims so far, never reset: settlements are fenced on it.
    claim_seq: { type: 'integer', default: 0, field: 'claim' },
    claimed_by: { type: 'text', nullable: true, field: 'claimedBy' },
    next_attempt_at: { type: 'timestamptz', field: 'nextAttemptAt', insert: { sql: (sent) => sent('created_at') } },
    lease_until: { type: 'timestamptz', nullable: true, field: 'leaseUntil' },
    last_error: { type: 'jsonb', nullable: true, field: 'lastError' },
    dedupe_key: { type: 'text', nullable: true, collation: 'C', field: 'dedupeKey', insert: true },
    created_at: { type: 'timestamptz', field: 'createdAt', insert: true },
    sent_at: { type: 'timestamptz', nullable: true, field: 'sentAt' },
    message_id: { type: 'text', nullable: true, field: 'messageId' },
    digest_id: { type: 'uuid', nullable: true, field: 'digestId' },
  },
  { primaryKey: { name: 'pk_notifications', columns: ['id'] } },
);

/** One row per topic and user; the primary key also serves a topic's subscribers in user id order. */
export const SUBSCRIPTIONS = defineTable<Subscription>()(
  'subscriptions',
  {
    topic: { type: 'text', collation: 'C', field: 'topic', insert: true },
    ...nested<Subscription>()('subscriber', RECIPIENT),
    delivery: { type: 'text', field: 'delivery', insert: true },
    created_at: { type: 'timestamptz', field: 'createdAt', insert: true },
  },
  { primaryKey: { name: 'pk_subscriptions', columns: ['topic', 'user_id'] } },
);

/** The per-minute sending budget: no domain shape, its statements compute every value in SQL. */
export const SEND_QUOTA = defineTable<object>()(
  'send_quota',
  {
    minute: { type: 'timestamptz' },
    used: { type: 'integer' },
    // What the last `take` granted: lets one upsert both spend the budget and say how much it spent.
    last_granted: { type: 'integer' },
  },
  { primaryKey: { name: 'pk_send_quota', columns: ['minute'] } },
);

/** Run-time settings an admin saved: a secret's value is its sealed form. */
export const SETTINGS = defineTable<object>()(
  'settings',
  {
    path: { type: 'text', collation: 'C' },
    value: { type: 'jsonb' },
    secret: { type: 'boolean' },
    changed_at: { type: 'timestamptz' },
    changed_by: { type: 'text' },
  },
  { primaryKey: { name: 'pk_settings', columns: ['path'] } },
);

/** One row per saved change of the settings; the highest version is the settings' version. */
export const SETTINGS_AUDIT = defineTable<object>()(
  'settings_audit',
  {
    version: { type: 'integer' },
    at: { type: 'timestamptz' },
    by: { type: 'text' },
    changes: { type: 'jsonb' },
  },
  { primaryKey: { name: 'pk_settings_audit', columns: ['version'] } },
);

/**
 * The recipients' choices per kind, and per kind on a topic. A kind-wide choice has the topic '' (a key column cannot
 * be NULL); the domain sees no topic then.
 */
export const PREFERENCES = defineTable<Preference>()(
  'preferences',
  {
    user_id: { type: 'text', collation: 'C', field: 'userId', insert: true },
    kind: { type: 'text', collation: 'C', field: 'kind', insert: true },
    topic: {
      type: 'text',
      collation: 'C',
      field: 'topic',
      read: (row) => (row.topic === '' ? undefined : row.topic),
      insert: (p) => p.topic ?? '',
    },
    choice: { type: 'text', field: 'choice', insert: true },
    updated_at: { type: 'timestamptz', field: 'updatedAt', insert: true },
  },
  { primaryKey: { name: 'pk_preferences', columns: ['user_id', 'kind', 'topic'] } },
);

/** Addresses whose mailbox does not exist, in lower case (compared without regard to case). */
export const SUPPRESSIONS = defineTable<SuppressedAddress>()(
  'suppressions',
  {
    address: { type: 'text', collation: 'C', field: 'address', insert: (e) => suppressionKey(e.address) },
    reason: { type: 'text', field: 'reason', insert: true },
    suppressed_at: { type: 'timestamptz', field: 'suppressedAt', insert: true },
    notification_id: { type: 'uuid', nullable: true, field: 'notificationId', insert: true },
  },
  { primaryKey: { name: 'pk_suppressions', columns: ['address'] } },
);

/** The tables, for what treats them alike (the TypeORM entities, the drift test). */
export const TABLES = [NOTIFICATIONS, SUBSCRIPTIONS, SEND_QUOTA, SETTINGS, SETTINGS_AUDIT, PREFERENCES, SUPPRESSIONS] as const;

/** Rows as pg returns them, by column name. */
export type NotificationRow = RowOf<typeof NOTIFICATIONS.columns>;
export type SubscriptionRow = RowOf<typeof SUBSCRIPTIONS.columns>;
export type SendQuotaRow = RowOf<typeof SEND_QUOTA.columns>;
export type SettingsRow = RowOf<typeof SETTINGS.columns>;
export type SettingsAuditRow = RowOf<typeof SETTINGS_AUDIT.columns>;
export type PreferenceRow = RowOf<typeof PREFERENCES.columns>;
export type SuppressionRow = RowOf<typeof SUPPRESSIONS.columns>;
