import type { SettingChangeRecord, SettingsAuditEntry } from '@mailroom/domain';
import type { SettingsPage, SettingView } from '../settings/settings-view';
import { table } from './output';

/**
 * The human text of `mailroom settings`: tables of settings and of their history. A secret's value never appears:
 * a secret shows as `set` or `not set` (with when and by whom it was saved), a change of one as `changed`.
 */

/** `mailroom settings get`: path, value, source, lock, and whether it may change at run time. */
export function settingsTable(page: SettingsPage, settings: readonly SettingView[] = page.settings): string {
  const rows = settings.map((s) => [
    s.path,
    valueText(s),
    s.source,
    s.locked ? `locked by ${s.variable}` : '',
    s.runTime ? 'run-time' : 'start-only',
  ]);
  return [
    `Settings at version ${page.version}${page.version === 0 ? ' (none saved yet)' : ''}:`,
    table([['path', 'value', 'source', 'locked', 'changeable'], ...rows]),
  ].join('\n');
}

/** `mailroom settings history`: one line per changed setting, the version, when and who on its first line. */
export function historyTable(entries: readonly SettingsAuditEntry[]): string {
  if (entries.length === 0) return 'No settings were ever saved.';
  const rows: string[][] = [];
  for (const entry of entries) {
    const head = [String(entry.version), when(entry.at), entry.by];
    if (entry.changes.length === 0) rows.push([...head, '(nothing)', '']);
    entry.changes.forEach((c, i) => rows.push([...(i === 0 ? head : ['', '', '']), c.path, changeText(c)]));
  }
  return table([['version', 'when', 'by', 'setting', 'change'], ...rows]);
}

/** What one saved change did, for `set`, `unset` and `rotate-key`. */
export function changesText(entry: SettingsAuditEntry | undefined, version: number): string {
  if (!entry || entry.changes.length === 0) return `Nothing changed (settings version ${version}).`;
  return [
    `Saved settings version ${entry.version} (by ${entry.by}):`,
    ...entry.changes.map((c) => `  ${c.path}: ${changeText(c)}`),
    'Every running Mailroom applies it within about a second.',
  ].join('\n');
}

/** `old → new`; `–` where nothing was saved (the file or default applies); only `changed` or `reset` for a secret. */
export function changeText(change: SettingChangeRecord): string {
  if (change.secret) return change.change === 'set' ? 'changed' : 'reset (back to the file or default)';
  const from = 'from' in change && change.from !== undefined ? shown(change.from) : '–';
  const to = change.change === 'set' ? shown(change.to) : '– (back to the file or default)';
  return `${from} → ${to}`;
}

function valueText(s: SettingView): string {
  if (s.secret) {
    if (!s.set) return 'not set';
    return s.changedAt ? `set (changed ${when(new Date(s.changedAt))} by ${s.changedBy ?? 'unknown'})` : 'set';
  }
  return s.value === undefined ? 'not set' : shown(s.value);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** A time as people read it: `2026-05-04 09:30:12 UTC`. */
export function when(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
