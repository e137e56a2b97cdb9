import type { SettingView } from '../settings/settings-view';
import { html, type SafeHtml } from './html';

/** One form field for one setting: how it is labelled and typed in the page. */
export interface FieldSpec {
  /** The setting's dotted path, e.g. `smtp.host`. */
  readonly path: string;
  /** The form field's name, when not the path (two fields of one setting, e.g. the user name of Direct and of OAuth2). */
  readonly name?: string;
  readonly label: string;
  readonly input: 'text' | 'number' | 'email' | 'url' | 'password' | 'select' | 'checkbox';
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly help?: string;
  /** The value shown when the setting has none (the schema's default, e.g. `starttls`). */
  readonly shown?: string;
  /** Shown only for this authentication type (the server ignores the field for the others). */
  readonly authType?: 'direct' | 'oauth2';
}

/** What a field shows: the setting behind it, the text in it, and the problem a save found with it. */
export interface FieldState {
  readonly view: SettingView | undefined;
  /** The text in the field (what the admin typed, or the setting's value); never a secret's. */
  readonly value: string;
  readonly error?: string;
}

/** The field's form name. */
export const fieldName = (spec: FieldSpec): string => spec.name ?? spec.path;

/** The field's value as the page shows it before anyone typed: the setting's, or the default. */
export function shownValue(spec: FieldSpec, view: SettingView | undefined): string {
  if (spec.input === 'password') return '';
  if (view?.value !== undefined) return textOf(view.value);
  return spec.shown ?? '';
}

/** A setting's value as a field's text (settings are strings, numbers and booleans). */
function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/**
 * One labelled field: help, where the value comes from (or who locked it, with the variable's name), and the problem
 * a save found, tied to the input with aria-describedby. A locked setting is shown disabled and is never posted.
 */
export function renderField(spec: FieldSpec, state: FieldState): SafeHtml {
  const id = `f-${fieldName(spec).replace(/[^A-Za-z0-9]+/g, '-')}`;
  const locked = state.view?.locked === true;
  const described = [spec.help ? `${id}-help` : '', `${id}-source`, state.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${fieldName(spec)}" aria-describedby="${described}" ${state.error ? html`aria-invalid="true"` : ''}
  ${locked ? html`disabled data-locked` : ''}`;
  const showWhen = spec.authType ? html` data-show-when="smtp.auth.type=${spec.authType}"` : '';
  return html`<div class="field" ${showWhen}>
    <label for="${id}">${spec.label}</label>
    ${control(spec, state, common)} ${spec.help ? html`<p class="help" id="${id}-help">${spec.help}</p>` : ''}
    <p class="help ${locked ? 'lock' : ''}" id="${id}-source">${sourceNote(state.view)}</p>
    ${state.error ? html`<p class="error" id="${id}-error">${state.error}</p>` : ''}
  </div>`;
}

function control(spec: FieldSpec, state: FieldState, common: SafeHtml): SafeHtml {
  if (spec.input === 'select') {
    return html`<select ${common}>
      ${(spec.options ?? []).map((o) => html`<option value="${o.value}" ${o.value === state.value ? 'selected' : ''}>${o.label}</option>`)}
    </select>`;
  }
  if (spec.input === 'checkbox') return html`<input type="checkbox" value="true" ${common} ${state.value === 'true' ? 'checked' : ''} />`;
  // A secret is never put back into the page: the field only replaces it.
  if (spec.input === 'password') return html`<input type="password" autocomplete="new-password" value="" ${common} />`;
  return html`<input type="${spec.input}" value="${state.value}" ${common} />`;
}

/** Where the value comes from in an admin's words; for a secret only whether and when it was set, never the value. */
export function sourceNote(view: SettingView | undefined): string {
  if (!view) return '';
  if (view.locked && view.lockedBy === 'host') return 'Locked: set by the application Mailroom runs in; change it there.';
  if (view.locked) return `Locked: set by the environment variable ${view.variable}; change or remove it where Mailroom runs.`;
  const changed = view.changedAt ? `changed on ${view.changedAt.slice(0, 16).replace('T', ' ')} UTC by ${view.changedBy ?? 'unknown'}` : '';
  if (view.secret) {
    if (!view.set) return 'Not set.';
    if (view.source === 'stored') return `Set — ${changed}. Leave empty to keep it; type a new one to replace it.`;
    return `Set in the ${view.source === 'host' ? 'application' : 'configuration file'}. Leave empty to keep it; type a new one to replace it.`;
  }
  if (view.source === 'stored') return `Saved here — ${changed}.`;
  if (view.source === 'file') return 'From the configuration file.';
  if (view.source === 'host') return 'Set by the application Mailroom runs in.';
  return view.set ? 'Default.' : 'Not set.';
}
