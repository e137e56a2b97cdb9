import {
  SettingsConflictError,
  type SettingChangeRecord,
  type SettingsAuditEntry,
  type SettingsChange,
  type SettingsSnapshot,
  type SettingsStore,
  type StoredSetting,
} from '@mailroom/domain';

/** Settings in memory: for tests and hosts' tests. Each method is atomic in one process. */
export class InMemorySettingsStore implements SettingsStore {
  private version = 0;
  private values = new Map<string, StoredSetting>();
  private readonly audit: SettingsAuditEntry[] = [];

  async read(): Promise<SettingsSnapshot> {
    return { version: this.version, values: new Map(this.values) };
  }

  async apply(change: SettingsChange, expectedVersion?: number): Promise<SettingsSnapshot> {
    if (expectedVersion !== undefined && expectedVersion !== this.version) throw new SettingsConflictError(expectedVersion, this.version);
    const next = new Map(this.values);
    const records: SettingChangeRecord[] = [];
    for (const path of change.unset ?? []) {
      const old = next.get(path);
      if (!old) continue;
      next.delete(path);
      records.push(old.secret ? { path, change: 'unset', secret: true } : { path, change: 'unset', secret: false, from: old.value });
    }
    for (const [path, { value, secret = false }] of Object.entries(change.set ?? {})) {
      const old = next.get(path);
      next.set(path, { value, secret, changedAt: change.at, changedBy: change.by });
      records.push(
        secret || old?.secret
          ? { path, change: 'set', secret: true }
          : { path, change: 'set', secret: false, ...(old ? { from: old.value } : {}), to: value },
      );
    }
    this.values = next;
    this.version++;
    this.audit.unshift({ version: this.version, at: change.at, by: change.by, changes: records });
    return this.read();
  }

  async history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]> {
    return this.audit.filter((e) => beforeVersion === undefined || e.version < beforeVersion).slice(0, limit);
  }
}
