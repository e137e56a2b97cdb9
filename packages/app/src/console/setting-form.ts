import { settingFromText, type ConfigIssue } from '../config';
import type { SettingsPage, SettingsUpdate, SettingView } from '../settings/settings-view';
import { html, type SafeHtml } from './html';
import { fieldName, shownValue, type FieldSpec } from './setting-field';

/** The change a posted form asks for, and the fields whose text is not a value of the setting's type. */
export interface FormChange {
  readonly update: SettingsUpdate;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Reads a settings form: only fields whose text differs from what the page showed become part of the change (so a
 * value from the file or a default is not copied into the database), an empty field resets a saved value, an empty
 * secret keeps the secret, and locked or start-only settings are never part of it, whatever was posted.
 * `always` names settings to store whenever they have text (a new authentication type needs all its fields).
 */
export function readSettingsForm(
  fields: readonly FieldSpec[],
  form: Readonly<Record<string, string>>,
  page: SettingsPage,
  always: (spec: FieldSpec) => boolean = () => false,
): FormChange {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const spec of fields) {
    const view = viewOf(page, spec.path);
    if (!view || view.locked || !view.runTime) continue;
    const posted = form[fieldName(spec)];
    const text = spec.input === 'checkbox' ? String(posted === 'true') : spec.input === 'password' ? (posted ?? '') : (posted ?? '').trim();
    if (spec.input === 'password') {
      if (text !== '') set[spec.path] = text;
      continue;
    }
    if (text === shownValue(spec, view) && !(always(spec) && text !== '')) continue;
    if (text === '') {
      if (view.source === 'stored') unset.push(spec.path);
      continue;
    }
    const converted = settingFromText({ path: spec.path, env: view.variable, type: view.type }, text);
    if ('problem' in converted) issues.push({ setting: spec.path, problem: converted.problem });
    else set[spec.path] = converted.value;
  }
  return { update: { ...(Object.keys(set).length ? { set } : {}), ...(unset.length ? { unset } : {}) }, issues };
}

export function viewOf(page: SettingsPage, path: string): SettingView | undefined {
  return page.settings.find((s) => s.path === path);
}

/** The problems by setting, and those no field on the page shows (said above the form). */
export function placeIssues(
  issues: readonly ConfigIssue[],
  fields: readonly FieldSpec[],
): { byPath: Map<string, string>; elsewhere: ConfigIssue[] } {
  const byPath = new Map<string, string>();
  const elsewhere: ConfigIssue[] = [];
  const paths = new Set(fields.map((f) => f.path));
  for (const issue of issues) {
    if (!paths.has(issue.setting)) elsewhere.push(issue);
    else byPath.set(issue.setting, byPath.has(issue.setting) ? `${byPath.get(issue.setting)}; ${issue.problem}` : issue.problem);
  }
  return { byPath, elsewhere };
}

/**
 * The notice above a settings form that was refused: `problem` (or `summary`), and the problems no field of the form
 * shows. Nothing when there is nothing to say.
 */
export function formProblems(
  issues: readonly ConfigIssue[] | undefined,
  elsewhere: readonly ConfigIssue[],
  problem: string | undefined,
  summary: string,
): SafeHtml | string {
  if (!issues?.length && !problem) return '';
  return html`<div class="notice bad" role="alert" id="form-problems">
    <p>${problem ?? summary}</p>
    ${
      elsewhere.length
        ? html`<ul>
            ${elsewhere.map((i) => html`<li><code>${i.setting}</code>: ${i.problem}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
}
