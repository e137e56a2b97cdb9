import {
  applySettingsChange,
  SettingsConflictError,
  type SettingChangeRecord,
  type SettingsAuditEntry,
  type SettingsChange,
  type SettingsSnapshot,
  type SettingsStore,
  type StoredSetting,
} from '@mailroom/domain';
import type { DataSource } from 'typeorm';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { SqlRunner, type Sql, type SqlSettings } from './sql-runner';
import { SETTINGS, SETTINGS_AUDIT, type SettingsAuditRow, type SettingsRow } from './tables';

/** The NOTIFY channel told of every saved change; the payload is `<schema>:<version>`. */
export const SETTINGS_CHANNEL = 'mailroom_settings';

/**
 * Run-time settings in PostgreSQL. A change is one short transaction under an advisory lock on the schema's
 * settings: the version is read, checked, the rows changed, the audit row (version + 1) written, and every node
 * told through NOTIFY — which PostgreSQL delivers only once the transaction commits.
 */
export class PostgresSettingsStore implements SettingsStore {
  private readonly sql: SqlRunner;
  private readonly statements: ReturnType<typeof settingsStatements>;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    const schema = schemaName(settings);
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = settingsStatements(schema);
  }

  async read(): Promise<SettingsSnapshot> {
    return readSnapshot(this.sql, this.statements);
  }

  async apply(change: SettingsChange, expectedVersion?: number): Promise<SettingsSnapshot> {
    return this.sql.transaction(async (tx) => {
      await tx.run(this.statements.lock);
      const before = await readSnapshot(tx, this.statements);
      if (expectedVersion !== undefined && expectedVersion !== before.version)
        throw new SettingsConflictError(expectedVersion, before.version);
      const { after, removed, records } = applySettingsChange(before.values, change);
      for (const path of removed) await tx.run(this.statements.remove, [path]);
      for (const path of Object.keys(change.set ?? {})) {
        const saved = after.get(path)!;
        await tx.run(this.statements.upsert, [path, JSON.stringify(saved.value), saved.secret, saved.changedAt, saved.changedBy]);
      }
      const version = before.version + 1;
      await tx.run(this.statements.audit, [version, change.at, change.by, JSON.stringify(records)]);
      await tx.run(this.statements.notify, [version]);
      return readSnapshot(tx, this.statements);
    });
  }

  async history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]> {
    const { rows } = await this.sql.run<SettingsAuditRow>(this.statements.history, [beforeVersion ?? null, limit]);
    return rows.map((r) => ({ version: r.version, at: r.at, by: r.by, changes: r.changes as SettingChangeRecord[] }));
  }
}

async function readSnapshot(sql: Sql, statements: ReturnType<typeof settingsStatements>): Promise<SettingsSnapshot> {
  const [{ rows }, version] = [await sql.run<SettingsRow>(statements.all), await sql.run<{ version: number }>(statements.version)];
  const values = new Map<string, StoredSetting>(
    rows.map((r) => [r.path, { value: r.value, secret: r.secret, changedAt: r.changed_at, changedBy: r.changed_by }]),
  );
  return { version: version.rows[0]?.version ?? 0, values };
}

function settingsStatements(schema: string) {
  const settings = `"${schema}".${SETTINGS.name}`;
  const audit = `"${schema}".${SETTINGS_AUDIT.name}`;
  return {
    /** Serialises changes of this schema's settings; released at commit or rollback. */
    lock: `SELECT pg_advisory_xact_lock(hashtextextended('${schema}:settings', 0))`,
    all: `SELECT ${SETTINGS.select} FROM ${settings} ORDER BY path`,
    version: `SELECT coalesce(max(version), 0)::int AS version FROM ${audit}`,
    upsert: `
      INSERT INTO ${settings} (path, value, secret, changed_at, changed_by) VALUES ($1, $2::jsonb, $3, $4, $5)
      ON CONFLICT (path) DO UPDATE SET value = excluded.value, secret = excluded.secret, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
    remove: `DELETE FROM ${settings} WHERE path = $1`,
    audit: `INSERT INTO ${audit} (version, at, by, changes) VALUES ($1, $2, $3, $4::jsonb)`,
    notify: `SELECT pg_notify('${SETTINGS_CHANNEL}', '${schema}:' || $1::text)`,
    history: `SELECT ${SETTINGS_AUDIT.select} FROM ${audit} WHERE ($1::int IS NULL OR version < $1) ORDER BY version DESC LIMIT $2`,
  };
}
