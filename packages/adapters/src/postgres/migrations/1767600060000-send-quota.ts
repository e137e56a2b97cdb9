import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/** The per-minute sending budget shared by every worker (one row per minute, old ones swept). */
export function sendQuotaMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomSendQuota1767600060000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.send_quota (
          minute timestamptz NOT NULL,
          used integer NOT NULL,
          last_granted integer NOT NULL,
          CONSTRAINT pk_send_quota PRIMARY KEY (minute)
        )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${s}.send_quota`);
    }
  };
}
