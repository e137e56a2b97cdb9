import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from './migration-class';

/** The NOTIFY channel; the payload is the schema, so listeners of another Mailroom schema ignore it. */
export const WAKEUP_CHANNEL = 'mailroom_wakeup';

const DELIVERIES = `('immediate', 'digest')`;
const STATUSES = `('pending', 'sending', 'sent', 'dead', 'digested')`;

/**
 * The outbox and the subscriptions. Index and constraint names are explicit so later migrations can name them.
 * `COLLATE "C"` on ids and topics: byte order is what the in-memory stores sort by, and is cheaper to compare.
 */
export function outboxMigration(schema: string): MigrationClass {
  const s = `"${schema}"`;
  return class implements MigrationInterface {
    readonly name = 'MailroomOutbox1767600000000';
    /** Which schema this instance migrates: `migrate` checks it before using a DataSource's own migrations. */
    readonly mailroomSchema = schema;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.notifications (
          id uuid NOT NULL,
          seq bigserial NOT NULL,
          kind text NOT NULL,
          user_id text COLLATE "C" NOT NULL,
          address text NOT NULL,
          display_name text,
          locale text,
          time_zone text,
          topic text COLLATE "C",
          payload jsonb NOT NULL,
          delivery text NOT NULL,
          status text NOT NULL,
          attempts integer NOT NULL DEFAULT 0,
          next_attempt_at timestamptz NOT NULL,
          lease_until timestamptz,
          last_error jsonb,
          dedupe_key text COLLATE "C",
          created_at timestamptz NOT NULL,
          sent_at timestamptz,
          message_id text,
          digest_id uuid,
          CONSTRAINT pk_notifications PRIMARY KEY (id),
          CONSTRAINT ck_notifications_delivery CHECK (delivery IN ${DELIVERIES}),
          CONSTRAINT ck_notifications_status CHECK (status IN ${STATUSES})
        )`);
      await runner.query(`CREATE UNIQUE INDEX ux_notifications_dedupe_key ON ${s}.notifications (dedupe_key) WHERE dedupe_key IS NOT NULL`);
      // One index for both kinds of due mail (pending and due, or sending with an expired lease): claims take
      // them in one order, which two indexes could only give through a sort of every due row.
      await runner.query(
        `CREATE INDEX ix_notifications_due ON ${s}.notifications (next_attempt_at, created_at, seq) WHERE delivery = 'immediate' AND status IN ('pending', 'sending')`,
      );
      await runner.query(
        `CREATE INDEX ix_notifications_digest_pending ON ${s}.notifications (user_id, created_at) WHERE delivery = 'digest' AND status = 'pending'`,
      );
      // Admin listing, newest first (scanned backwards).
      await runner.query(`CREATE INDEX ix_notifications_created ON ${s}.notifications (created_at, id)`);

      await runner.query(`
        CREATE TABLE ${s}.subscriptions (
          topic text COLLATE "C" NOT NULL,
          user_id text COLLATE "C" NOT NULL,
          address text NOT NULL,
          display_name text,
          locale text,
          time_zone text,
          delivery text NOT NULL,
          created_at timestamptz NOT NULL,
          CONSTRAINT pk_subscriptions PRIMARY KEY (topic, user_id),
          CONSTRAINT ck_subscriptions_delivery CHECK (delivery IN ${DELIVERIES})
        )`);
      await runner.query(`CREATE INDEX ix_subscriptions_user ON ${s}.subscriptions (user_id, topic)`);

      // Once per statement, not per row: a fan-out of 100 000 rows wakes the workers once.
      await runner.query(`
        CREATE FUNCTION ${s}.wake_workers() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${WAKEUP_CHANNEL}', '${schema}');
          RETURN NULL;
        END
        $$`);
      await runner.query(
        `CREATE TRIGGER tg_notifications_wake_workers AFTER INSERT ON ${s}.notifications FOR EACH STATEMENT EXECUTE FUNCTION ${s}.wake_workers()`,
      );
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${s}.notifications`);
      await runner.query(`DROP FUNCTION ${s}.wake_workers()`);
      await runner.query(`DROP TABLE ${s}.subscriptions`);
    }
  };
}
