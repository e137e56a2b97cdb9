import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/**
 * Claims with an owner and a sequence: `claim_seq` counts the claims of a mail and is never reset (an admin's retry
 * of a dead letter resets `attempts`, not it), so settlement and lease extension are fenced on it; `claimed_by`
 * names the worker that holds (or last held) the claim. Both are added with constant defaults: no table rewrite.
 */
export function claimsMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomClaims1767600120000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`ALTER TABLE ${s}.notifications ADD COLUMN claim_seq integer NOT NULL DEFAULT 0, ADD COLUMN claimed_by text`);
      // A row claimed before this migration settles against its attempt count, which is what claim_seq now starts at.
      await runner.query(`UPDATE ${s}.notifications SET claim_seq = attempts WHERE status = 'sending'`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`ALTER TABLE ${s}.notifications DROP COLUMN claimed_by, DROP COLUMN claim_seq`);
    }
  };
}
