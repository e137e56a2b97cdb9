import type { MailReceipt, Outbox, SettingsAuditEntry, Suppressions } from '@mailroom/domain';
import type { Log } from '../logging/log';
import type { CaughtMailbox } from '../catcher/caught-mailbox';
import type { DoctorReport, DoctorStep } from '../doctor/doctor-report';
import type { MailroomHealth } from '../health';
import type { SettingsPage, SettingsUpdate } from '../settings/settings-view';
import type { TemplatesAdmin } from '../settings/templates-admin';

/** The settings an admin reads and changes: `mailroom.settings`. */
export interface AdminSettings {
  /** The effective settings at the stored version, secrets shown only as set or not. */
  view(): SettingsPage;
  /**
   * Stores a change made by `by`. Throws `ConfigError` (a value of the wrong type or a locked setting),
   * `SettingsConflictError` (`expectedVersion` is behind) or `MailroomError` `SECRETS.KEY_MISSING` (a secret without a key to seal it).
   */
  update(update: SettingsUpdate, by: string): Promise<SettingsPage>;
  /** Saved changes, newest first, `limit` of them, older than `beforeVersion` when given. */
  history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]>;
}

/**
 * What the admin API uses of Mailroom, and nothing more: `Mailroom` is one. A host (or a test) may pass any object of
 * this shape.
 */
export interface AdminBackend {
  readonly outbox: Pick<Outbox, 'counts' | 'list' | 'get' | 'retryDead'>;
  /** The dead addresses (`mailroom.suppressions`). */
  readonly suppressions: Pick<Suppressions, 'list' | 'remove' | 'clear'>;
  readonly settings: AdminSettings;
  /** The templates admins edit (`mailroom.templates`). */
  readonly templates: Pick<TemplatesAdmin, 'list' | 'get' | 'save' | 'reset' | 'preview'>;
  /** Unexpected errors are logged here (the answer says only that something failed). */
  readonly logger: Pick<Log, 'error' | 'warn'>;
  health(options?: { verify?: boolean }): Promise<MailroomHealth>;
  doctor(): Promise<DoctorReport>;
  /**
   * The doctor's walk with the current settings, or with `update` applied on top of them without saving it; `onStep`
   * is told each step as it completes.
   */
  checkSettings(update?: SettingsUpdate, options?: { onStep?: (step: DoctorStep) => void }): Promise<DoctorReport>;
  /** The development catcher's mails while it is in use (the console's "Caught mail"); absent or undefined otherwise. */
  readonly caughtMail?: CaughtMailbox | undefined;
  /** A real test mail, with the current settings or with `settings` applied on top of them without saving them. */
  sendTest(to: string, options?: { settings?: SettingsUpdate }): Promise<MailReceipt>;
}
