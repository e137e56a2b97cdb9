import type { SettingsAuditEntry } from '@mailroom/domain';
import type { RuntimeSettings } from './runtime-settings';
import type { SettingsPage, SettingsUpdate } from './settings-view';

/** What `Mailroom.settings` offers: the admin API and `mailroom settings` use it. */
export interface MailroomSettings {
  /** Every setting with its effective value (none for secrets), source, lock and last change, at the stored version. */
  view(): SettingsPage;
  /**
   * Validates and saves a change by `by` (the admin's identity, or `cli`); every node applies it within about a
   * second. Throws `ConfigError` (naming each setting and the fix; nothing saved), `SecretKeyMissingError`,
   * `SettingsConflictError` (when `expectedVersion` is stale).
   */
  update(update: SettingsUpdate, by: string): Promise<SettingsPage>;
  /** Who changed what when, newest first (old → new; "changed" for secrets). Default 50 entries. */
  history(limit?: number, beforeVersion?: number): Promise<SettingsAuditEntry[]>;
  /** Seals every secret sealed with a previous key again with `MAILROOM_SECRET_KEY`; returns how many. */
  rotateKey(by: string): Promise<number>;
}

/** The settings as `Mailroom.settings` (and `mailroom settings`) offer them. */
export function mailroomSettings(runtime: RuntimeSettings): MailroomSettings {
  return {
    view: () => runtime.view(),
    update: (update, by) => runtime.update(update, by),
    history: (limit = 50, beforeVersion) => runtime.history(limit, beforeVersion),
    rotateKey: (by) => runtime.rotateKey(by),
  };
}
