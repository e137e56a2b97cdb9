import { schemaName } from '../postgres-settings';
import type { MigrationClass } from './migration-class';
import { outboxMigration } from './1767600000000-outbox';
import { sendQuotaMigration } from './1767600060000-send-quota';
import { claimsMigration } from './1767600120000-claims';
import { settingsMigration } from './1767600180000-settings';
import { preferencesMigration } from './1767600240000-preferences';
import { recipientStatusesMigration } from './1767600300000-recipient-statuses';
import { suppressionsMigration } from './1767600360000-suppressions';
import { deadLettersMigration } from './1767600420000-dead-letters';

export { WAKEUP_CHANNEL } from './1767600000000-outbox';
export { NOTIFICATION_STATUSES_SQL } from './1767600300000-recipient-statuses';

/**
 * Mailroom's migrations for a schema, oldest first: classes for a TypeORM DataSource's `migrations`.
 * They are made per schema because a migration's SQL names its schema, and TypeORM builds them without arguments.
 * The name goes into their SQL text, so it is checked first (`POSTGRES.SCHEMA_INVALID`), as on every other path.
 */
export function mailroomMigrations(schema: string): MigrationClass[] {
  const checked = schemaName({ schema });
  return [
    outboxMigration(checked),
    sendQuotaMigration(checked),
    claimsMigration(checked),
    settingsMigration(checked),
    preferencesMigration(checked),
    recipientStatusesMigration(checked),
    suppressionsMigration(checked),
    deadLettersMigration(checked),
  ];
}
