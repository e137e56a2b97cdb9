import { userInfo } from 'node:os';
import { MailroomError, type SettingsAuditEntry } from '@mailroom/domain';
import type { MailroomSettings } from '../settings/mailroom-settings';
import type { SettingsPage, SettingsUpdate } from '../settings/settings-view';
import { withSettings, type GlobalOptions } from './commands';
import type { Output } from './output';
import { readLine } from './read-line';
import { settingValues } from './setting-input';
import { changesText, historyTable, settingsTable } from './settings-text';

/**
 * `mailroom settings …`: the run-time settings through `Mailroom.settings`, the same store, validation, sealing of
 * secrets and audit as the host's admin API. A change is recorded as made by `cli:<user>`, the operating-system
 * user running the command (`cli` where the system has no name for it): an account on the server, not a
 * verified identity — whoever runs the CLI holds the database credentials anyway.
 */

/**
 * `settings get [path…]`: every setting, or those named (a path or a prefix such as `smtp.auth`), with value, source
 * and lock; never a secret's value.
 */
export async function settingsGet(global: GlobalOptions, out: Output, paths: readonly string[] = []): Promise<void> {
  await withSettings(global, async (stored) => {
    const page = stored.view();
    const unknown = paths.filter((p) => !page.settings.some((s) => named(s.path, p)));
    if (unknown.length > 0) throw unknownSetting(unknown, page);
    const settings = paths.length === 0 ? page.settings : page.settings.filter((s) => paths.some((p) => named(s.path, p)));
    out.result({ ok: true, version: page.version, settings }, () => settingsTable(page, settings));
  });
}

function named(path: string, asked: string): boolean {
  return path === asked || path.startsWith(`${asked}.`);
}

/** `settings set <path> <value> [<path> <value>…]`: one validated, audited change; a secret's value from stdin or a file. */
export async function settingsSet(
  global: GlobalOptions,
  out: Output,
  args: readonly string[],
  options: { fromFile?: string; expectedVersion?: string },
): Promise<void> {
  // The values are checked and read before the database is opened: a typo costs no connection, a prompt no wait.
  const set = await settingValues(args, { ...(options.fromFile !== undefined ? { fromFile: options.fromFile } : {}), readLine });
  await saved(global, out, { set, ...expected(options.expectedVersion) });
}

/** `settings unset <path>…`: back to the configuration file's value or the default. */
export async function settingsUnset(global: GlobalOptions, out: Output, paths: readonly string[], options: { expectedVersion?: string }) {
  await saved(global, out, { unset: [...new Set(paths)], ...expected(options.expectedVersion) });
}

/**
 * Whether saving `update` would change nothing: it only resets settings that may be changed but hold no saved value.
 * Such an update is not sent (the store would write an empty version into the audit); any other, including one
 * naming an unknown or locked setting, goes to the settings, which refuse it with their own message.
 */
function resetsNothing(update: SettingsUpdate, page: SettingsPage): boolean {
  if (Object.keys(update.set ?? {}).length > 0 || update.expectedVersion !== undefined) return false;
  return (update.unset ?? []).every((path) => {
    const s = page.settings.find((v) => v.path === path);
    return s !== undefined && s.runTime && !s.locked && s.source !== 'stored';
  });
}

/** `settings history [--limit N] [--before VERSION]`: who changed what when, newest first. */
export async function settingsHistory(global: GlobalOptions, out: Output, options: { limit?: string; before?: string }): Promise<void> {
  const limit = positive('--limit', options.limit ?? '20');
  const before = options.before === undefined ? undefined : positive('--before', options.before);
  await withSettings(global, async (stored) => {
    const entries = await stored.history(limit, before);
    out.result({ ok: true, entries }, () => historyTable(entries));
  });
}

/** `settings rotate-key`: seals every secret sealed with a key of MAILROOM_SECRET_KEY_PREVIOUS again with MAILROOM_SECRET_KEY. */
export async function settingsRotateKey(global: GlobalOptions, out: Output): Promise<void> {
  await withSettings(global, async (stored) => {
    const resealed = await stored.rotateKey(cliIdentity());
    out.result({ ok: true, resealed, version: stored.view().version }, () =>
      resealed === 0
        ? `No saved secret is sealed with a previous key: nothing to do. ${KEEP_PREVIOUS}`
        : `Sealed ${resealed} saved secret${resealed === 1 ? '' : 's'} again with MAILROOM_SECRET_KEY ` +
          `(settings version ${stored.view().version}). The saved settings no longer need MAILROOM_SECRET_KEY_PREVIOUS. ${KEEP_PREVIOUS}`,
    );
  });
}

/** The previous key still verifies the unsubscribe links in mails sent before the rotation. */
const KEEP_PREVIOUS =
  'Unless unsubscribe.key is set, keep it on every node until the unsubscribe links signed with it have expired ' +
  '(unsubscribe.validDays after the rotation), then remove it.';

/** Who the audit names for a change made here. */
export function cliIdentity(): string {
  try {
    const name = userInfo().username;
    return name ? `cli:${name}` : 'cli';
  } catch {
    return 'cli'; // a uid without a passwd entry (some containers): no name to give
  }
}

async function saved(global: GlobalOptions, out: Output, update: SettingsUpdate): Promise<void> {
  await withSettings(global, async (stored) => {
    const current = stored.view();
    const before = current.version;
    if (resetsNothing(update, current)) {
      const sources = (update.unset ?? []).map((p) => `${p} (${current.settings.find((s) => s.path === p)!.source})`);
      out.result({ ok: true, version: before, by: null, changes: [] }, `Nothing to reset: no value is saved for ${sources.join(', ')}.`);
      return;
    }
    const page = await stored.update(update, cliIdentity());
    const entry = page.version === before ? undefined : await auditOf(stored, page.version);
    out.result({ ok: true, version: page.version, by: entry?.by ?? null, changes: entry?.changes ?? [] }, () =>
      changesText(entry, page.version),
    );
  });
}

/** The audit entry of exactly this version (another change may have been saved right after it). */
async function auditOf(stored: MailroomSettings, version: number): Promise<SettingsAuditEntry | undefined> {
  const [entry] = await stored.history(1, version + 1);
  return entry?.version === version ? entry : undefined;
}

function expected(version: string | undefined): Pick<SettingsUpdate, 'expectedVersion'> {
  return version === undefined ? {} : { expectedVersion: positive('--expected-version', version, 0) };
}

function positive(option: string, text: string, min = 1): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new MailroomError('CLI.USAGE', `${option} takes a whole number of at least ${min} (got "${text}").`);
  }
  return Number(text);
}

function unknownSetting(paths: readonly string[], page: SettingsPage): MailroomError {
  const described = paths.map((path) => {
    const near = page.settings.filter((s) => distance(s.path.toLowerCase(), path.toLowerCase()) <= 2).map((s) => s.path);
    return `${path}${near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : ''}`;
  });
  return new MailroomError(
    'CLI.UNKNOWN_SETTING',
    `${described.join(', ')} ${paths.length === 1 ? 'is not a setting' : 'are not settings'}; \`mailroom settings get\` lists them all.`,
  );
}

/** Levenshtein distance, for a misspelt path's suggestions. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
