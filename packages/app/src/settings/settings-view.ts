import type { SettingSourceKind } from '../config';

/** One setting as admins see it: the effective value (never a secret's), where it comes from, who may change it. */
export interface SettingView {
  /** Dotted path, e.g. `smtp.auth.clientId`. */
  readonly path: string;
  /** The environment variable that sets it (and locks it). */
  readonly variable: string;
  readonly type: 'string' | 'int' | 'boolean';
  /** The effective value; absent for secrets and for settings without a value. */
  readonly value?: unknown;
  /** A password, client secret or token: write-only, only `set` and when it changed are shown. */
  readonly secret: boolean;
  /** Whether a value is set (for secrets the only thing shown of the value). */
  readonly set: boolean;
  readonly source: SettingSourceKind;
  /** Set by its environment variable, or locked by the host application: read-only for admins. */
  readonly locked: boolean;
  /** Who locked it: `environment` (its variable) or `host` (`createMailroom({ lockedSettings })`). */
  readonly lockedBy?: 'environment' | 'host';
  /** An admin may store a value for it (database, worker, log and admin settings are read at start only). */
  readonly runTime: boolean;
  /** When the stored value was saved, and by whom (only for `source: 'stored'`). */
  readonly changedAt?: string;
  readonly changedBy?: string;
}

/** The settings at one stored version: what an admin page shows and an update names as `expectedVersion`. */
export interface SettingsPage {
  readonly version: number;
  readonly settings: readonly SettingView[];
}

/**
 * A change an admin makes at once: values to store (JSON values of the setting's type; secrets in plain text, sealed
 * before they are stored) and settings to reset to their file or default value. With `expectedVersion`, refused
 * with `SettingsConflictError` when another change was saved since.
 */
export interface SettingsUpdate {
  readonly set?: Readonly<Record<string, unknown>>;
  readonly unset?: readonly string[];
  readonly expectedVersion?: number;
}
