import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/** The recipients' choices per kind and per kind on a topic ('' for every topic). */
export function preferencesMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomPreferences1767600240000';
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.preferences (
          user_id text COLLATE "C" NOT NULL,
          kind text COLLATE "C" NOT NULL,
          topic text COLLATE "C" NOT NULL,
          choice text NOT NULL CHECK (choice IN ('immediate', 'digest', 'off')),
          updated_at timestamptz NOT NULL,
          CONSTRAINT pk_preferences PRIMARY KEY (user_id, kind, topic)
        )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${s}.preferences`);
    }
  };
}
