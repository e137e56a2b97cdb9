import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/** The suppression list: one row per lower-case address whose mailbox does not exist. */
export function suppressionsMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomSuppressions1767600360000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.suppressions (
          address text COLLATE "C" NOT NULL,
          reason text NOT NULL,
          suppressed_at timestamptz NOT NULL,
          notification_id uuid,
          CONSTRAINT pk_suppressions PRIMARY KEY (address)
        )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${s}.suppressions`);
    }
  };
}
