import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

const BEFORE = `('pending', 'sending', 'sent', 'dead', 'digested')`;
/** The statuses of the outbox since: `skipped` (the recipient turned the kind off), `suppressed` (a dead address). */
export const NOTIFICATION_STATUSES_SQL = `('pending', 'sending', 'sent', 'dead', 'digested', 'skipped', 'suppressed')`;

/** Notifications recorded but never sent: the status check allows `skipped` and `suppressed`. */
export function recipientStatusesMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomRecipientStatuses1767600300000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      // One statement: the table is locked once, and the old rows are checked against the wider list.
      await runner.query(`
        ALTER TABLE ${s}.notifications
          DROP CONSTRAINT ck_notifications_status,
          ADD CONSTRAINT ck_notifications_status CHECK (status IN ${NOTIFICATION_STATUSES_SQL})`);
    }

    async down(runner: QueryRunner): Promise<void> {
      // Rows that were never sent go with the statuses that described them.
      await runner.query(`DELETE FROM ${s}.notifications WHERE status IN ('skipped', 'suppressed')`);
      await runner.query(`
        ALTER TABLE ${s}.notifications
          DROP CONSTRAINT ck_notifications_status,
          ADD CONSTRAINT ck_notifications_status CHECK (status IN ${BEFORE})`);
    }
  };
}
