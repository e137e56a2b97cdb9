import type { SettingsPage } from '../../settings/settings-view';
import { shownValue, fieldName } from '../setting-field';
import { readSettingsForm, viewOf, type FormChange } from '../setting-form';
import { AUTH_TYPE_FIELD, EXCHANGE_PRESET, MAIL_SERVER_FIELDS, TENANT_FIELD, fieldsFor, withTenant } from './mail-server-fields';

/** The form's texts by field name (secrets always empty), plus the tenant and the test address. */
export type MailServerValues = Readonly<Record<string, string>>;

/** The field holding the test mail's address; not a setting. */
export const TEST_TO_FIELD = 'test.to';

/** What the page shows before anyone typed: the settings (or, with the preset, Exchange Online's values where not locked). */
export function initialValues(page: SettingsPage, options: { preset: boolean; testTo: string }): MailServerValues {
  const values: Record<string, string> = { [TENANT_FIELD]: '', [TEST_TO_FIELD]: options.testTo };
  for (const spec of MAIL_SERVER_FIELDS) {
    const view = viewOf(page, spec.path);
    const preset = options.preset && !view?.locked ? EXCHANGE_PRESET[spec.path] : undefined;
    values[fieldName(spec)] = preset ?? shownValue(spec, view);
  }
  return values;
}

/**
 * The posted form as the page shows it again: what the admin typed (never a secret), and for a locked setting its
 * value (nothing posted for it counts).
 */
export function postedValues(form: Readonly<Record<string, string>>, page: SettingsPage): MailServerValues {
  const values: Record<string, string> = { [TENANT_FIELD]: form[TENANT_FIELD] ?? '', [TEST_TO_FIELD]: form[TEST_TO_FIELD] ?? '' };
  for (const spec of MAIL_SERVER_FIELDS) {
    const view = viewOf(page, spec.path);
    const name = fieldName(spec);
    if (view?.locked || spec.input === 'password') values[name] = shownValue(spec, view);
    else if (spec.input === 'checkbox') values[name] = String(form[name] === 'true');
    else values[name] = (form[name] ?? '').trim();
  }
  return values;
}

/** The authentication type the form asks for (a locked type stays what it is). */
export function postedAuthType(form: Readonly<Record<string, string>>, page: SettingsPage): string {
  const view = viewOf(page, 'smtp.auth.type');
  const current = shownValue(AUTH_TYPE_FIELD, view);
  return view?.locked ? current : (form['smtp.auth.type'] ?? current);
}

/**
 * The settings change the form asks for: the fields of the chosen authentication type only (the server ignores the
 * others'), the tenant put into the token URL, and — when the type changes — every field of the new type.
 */
export function mailServerChange(form: Readonly<Record<string, string>>, page: SettingsPage): FormChange {
  const authType = postedAuthType(form, page);
  const typeChanges = authType !== shownValue(AUTH_TYPE_FIELD, viewOf(page, 'smtp.auth.type'));
  const tokenUrl = form['smtp.auth.tokenUrl'];
  const filled = tokenUrl === undefined ? form : { ...form, 'smtp.auth.tokenUrl': withTenant(tokenUrl, form[TENANT_FIELD] ?? '') };
  const change = readSettingsForm(fieldsFor(authType), filled, page, (spec) => typeChanges && spec.path.startsWith('smtp.auth.'));
  return withWholeFrom(change, filled, page);
}

/**
 * From is one object in the configuration: a name saved alone, over the default From, would leave it without an
 * address. So a changed name or address is saved with the other one shown in the form.
 */
function withWholeFrom(change: FormChange, form: Readonly<Record<string, string>>, page: SettingsPage): FormChange {
  const set = change.update.set;
  if (!set || ('from.address' in set && 'from.name' in set) || !('from.address' in set || 'from.name' in set)) return change;
  const other = 'from.address' in set ? 'from.name' : 'from.address';
  const text = (form[other] ?? '').trim();
  if (text === '' || change.update.unset?.includes(other) || viewOf(page, other)?.locked) return change;
  return { ...change, update: { ...change.update, set: { ...set, [other]: text } } };
}
