import { MailroomError } from '../errors';

/** One setting an admin saved: a JSON value (for a secret, the sealed form, which the store never reads). */
export interface StoredSetting {
  readonly value: unknown;
  readonly secret: boolean;
  readonly changedAt: Date;
  /** Who saved it: the identity the host's authorize hook returned, or `cli`. */
  readonly changedBy: string;
}

/** The saved settings at one version; version 0 means nothing was ever saved. */
export interface SettingsSnapshot {
  readonly version: number;
  readonly values: ReadonlyMap<string, StoredSetting>;
}

/** What an admin saves at once: settings to set, and settings to reset (back to their file or default value). */
export interface SettingsChange {
  readonly set?: Readonly<Record<string, { readonly value: unknown; readonly secret?: boolean }>>;
  readonly unset?: readonly string[];
  readonly by: string;
  readonly at: Date;
}

/** One setting in an audit entry: old → new for plain values; for a secret only that it changed. */
export interface SettingChangeRecord {
  readonly path: string;
  readonly change: 'set' | 'unset';
  readonly secret: boolean;
  readonly from?: unknown;
  readonly to?: unknown;
}

/** One saved change, as the audit keeps it. */
export interface SettingsAuditEntry {
  readonly version: number;
  readonly at: Date;
  readonly by: string;
  readonly changes: readonly SettingChangeRecord[];
}

/** Another change was saved since the version the caller read: read again and retry. */
export class SettingsConflictError extends MailroomError {
  override readonly name = 'SettingsConflictError';

  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      'SETTINGS.CONFLICT',
      `The settings changed meanwhile (version ${actual}, not ${expected}): load them again and reapply your change.`,
    );
  }
}

/**
 * The settings admins change at run time, with a version per change and an audit of every change. The store keeps
 * values as given: validation and the sealing of secrets happen before, in the app.
 */
export interface SettingsStore {
  read(): Promise<SettingsSnapshot>;
  /**
   * Applies a change atomically and bumps the version by one (also when it changes nothing: it was saved). With
   * `expectedVersion`, refuses with `SettingsConflictError` when another change came first.
   */
  apply(change: SettingsChange, expectedVersion?: number): Promise<SettingsSnapshot>;
  /** Audit entries, newest first; `beforeVersion` pages on. */
  history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]>;
}

/** What a change does to the saved settings: the settings after it, what was reset, and the audit's records. */
export interface AppliedSettingsChange {
  readonly after: Map<string, StoredSetting>;
  /** Paths that were saved and are reset now (resetting one never saved does nothing). */
  readonly removed: readonly string[];
  /** Old → new for plain values; for a secret (before or after) only that it changed. */
  readonly records: readonly SettingChangeRecord[];
}

/** Applies a change to the saved settings, resets first, as every `SettingsStore` does. */
export function applySettingsChange(before: ReadonlyMap<string, StoredSetting>, change: SettingsChange): AppliedSettingsChange {
  const after = new Map(before);
  const removed: string[] = [];
  const records: SettingChangeRecord[] = [];
  for (const path of change.unset ?? []) {
    const old = after.get(path);
    if (!old) continue;
    after.delete(path);
    removed.push(path);
    records.push(old.secret ? { path, change: 'unset', secret: true } : { path, change: 'unset', secret: false, from: old.value });
  }
  for (const [path, { value, secret = false }] of Object.entries(change.set ?? {})) {
    const old = after.get(path);
    after.set(path, { value, secret, changedAt: change.at, changedBy: change.by });
    records.push(
      secret || old?.secret
        ? { path, change: 'set', secret: true }
        : { path, change: 'set', secret: false, ...(old ? { from: old.value } : {}), to: value },
    );
  }
  return { after, removed, records };
}
