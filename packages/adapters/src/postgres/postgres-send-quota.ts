import type { SendQuota } from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { SqlRunner, type SqlSettings } from './sql-runner';
import { SEND_QUOTA } from './tables';

export interface SendQuotaSettings extends SchemaSettings, SqlSettings {
  /** Sends allowed per minute across every worker (Exchange Online: 30 per mailbox). */
  readonly perMinute: number;
}

const MINUTE = 60_000;
/** Minutes kept before they are swept: enough to look at recent use, too few to grow. */
const KEPT_MINUTES = 60;

/**
 * The per-minute sending budget in PostgreSQL, so it holds across processes. One row per minute; `take` is one
 * upsert (the row lock makes concurrent takes add up, never past the limit).
 */
export class PostgresSendQuota implements SendQuota {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof sendQuotaStatements>;

  constructor(
    dataSource: DataSource,
    private readonly settings: SendQuotaSettings,
  ) {
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = sendQuotaStatements(`"${schemaName(settings)}".${SEND_QUOTA.name}`);
  }

  async take(now: Date, wanted: number): Promise<number> {
    if (wanted <= 0) return 0;
    const minute = minuteOf(now);
    const { rows } = await this.sql.run<{ last_granted: number; inserted: boolean }>(this.statements.take, [
      minute,
      wanted,
      this.settings.perMinute,
    ]);
    // The first take of a minute sweeps old minutes: once a minute, not on every take.
    if (rows[0]?.inserted) await this.sql.run(this.statements.sweep, [new Date(minute.getTime() - KEPT_MINUTES * MINUTE)]);
    return rows[0]?.last_granted ?? 0;
  }

  async giveBack(now: Date, unused: number): Promise<void> {
    if (unused <= 0) return;
    await this.sql.run(this.statements.giveBack, [minuteOf(now), unused]);
  }
}

function minuteOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
}

function sendQuotaStatements(table: string) {
  const grant = 'least($2::int, greatest($3::int - q.used, 0))';
  return {
    /** SET reads the row as it was, so `last_granted` is what this take added. `xmax = 0`: the row is new. */
    take: `
      INSERT INTO ${table} AS q (minute, used, last_granted) VALUES ($1, least($2::int, $3::int), least($2::int, $3::int))
      ON CONFLICT ON CONSTRAINT pk_send_quota DO UPDATE SET used = q.used + ${grant}, last_granted = ${grant}
      RETURNING last_granted, (xmax = 0) AS inserted`,
    giveBack: `UPDATE ${table} SET used = greatest(used - $2::int, 0) WHERE minute = $1`,
    sweep: `DELETE FROM ${table} WHERE minute < $1`,
  };
}
