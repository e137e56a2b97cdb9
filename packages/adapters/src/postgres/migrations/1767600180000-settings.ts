import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/**
 * Run-time settings: one row per saved setting (a secret's value is its sealed form), and the audit, one row per
 * saved change; its highest version is the settings' version.
 */
export function settingsMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomSettings1767600180000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.settings (
          path text COLLATE "C" NOT NULL,
          value jsonb NOT NULL,
          secret boolean NOT NULL,
          changed_at timestamptz NOT NULL,
          changed_by text NOT NULL,
          CONSTRAINT pk_settings PRIMARY KEY (path)
        )`);
      await runner.query(`
        CREATE TABLE ${s}.settings_audit (
          version integer NOT NULL,
          at timestamptz NOT NULL,
          by text NOT NULL,
          changes jsonb NOT NULL,
          CONSTRAINT pk_settings_audit PRIMARY KEY (version)
        )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${s}.settings_audit`);
      await runner.query(`DROP TABLE ${s}.settings`);
    }
  };
}
