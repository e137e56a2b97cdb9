import {
  applySettingsChange,
  SettingsConflictError,
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
    const { after, records } = applySettingsChange(this.values, change);
    this.values = after;
    this.version++;
    this.audit.unshift({ version: this.version, at: change.at, by: change.by, changes: records });
    return this.read();
  }

  async history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]> {
    return this.audit.filter((e) => beforeVersion === undefined || e.version < beforeVersion).slice(0, limit);
  }
}
