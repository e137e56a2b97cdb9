import type { DoctorReport, DoctorStep } from '../../doctor/doctor-report';
import { html, type SafeHtml } from '../html';
import { stepFacts } from './check-report-view';

/** Where one item of the Microsoft-side setup stands after the last check. */
export type ChecklistState = 'done' | 'failed' | 'unknown';

export interface ChecklistItem {
  readonly id: string;
  readonly text: string;
  /** PowerShell or portal words to copy, shown as code. */
  readonly code?: string;
  readonly state: ChecklistState;
  /** Why it is marked so, in words. */
  readonly note: string;
}

const ITEMS: readonly { id: string; text: string; code?: string }[] = [
  {
    id: 'app-registration',
    text: 'An app registration in Microsoft Entra; its Application (client) id in Client id, the tenant in the token URL.',
  },
  { id: 'client-secret', text: 'A client secret of that app; its Value (not its Secret ID) in Client secret.' },
  { id: 'send-as-app', text: 'API permission Office 365 Exchange Online → application permission', code: 'SMTP.SendAsApp' },
  { id: 'admin-consent', text: 'Admin consent granted for the tenant ("Grant admin consent").' },
  {
    id: 'service-principal',
    text: "The app's service principal registered in Exchange Online (the Enterprise application's object id):",
    code: 'New-ServicePrincipal -AppId <client id> -ObjectId <object id>',
  },
  {
    id: 'mailbox-permission',
    text: 'That service principal has FullAccess on the sending mailbox:',
    code: 'Add-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess',
  },
  { id: 'licensed-mailbox', text: 'A licensed sending mailbox (Sending mailbox above).' },
  { id: 'from-is-mailbox', text: 'From address equal to that mailbox.' },
];

const NOT_CHECKED = 'not checked yet: run Check';

/**
 * The Microsoft-side setup for Exchange Online, each item marked from the last check where the check can tell: the
 * token step says whether the app and its secret are right (AADSTS700016, AADSTS7000215), the AUTH step whether
 * Exchange accepts the app (535 5.7.3: the service principal or the mailbox permission; a token without the
 * SMTP.SendAsApp role: the permission or the consent), MAIL FROM and the configuration warning whether From is the mailbox.
 */
export function exchangeChecklist(report: DoctorReport | undefined, form: { from: string; mailbox: string }): ChecklistItem[] {
  const states = new Map<string, { state: ChecklistState; note: string }>();
  const mark = (ids: string[], state: ChecklistState, note: string) => ids.forEach((id) => states.set(id, { state, note }));
  const fromMatches = form.from !== '' && form.from.toLowerCase() === form.mailbox.toLowerCase();
  if (form.from !== '' && form.mailbox !== '')
    mark(
      ['from-is-mailbox'],
      fromMatches ? 'done' : 'failed',
      fromMatches ? 'From is the mailbox' : `From ${form.from} is not the mailbox ${form.mailbox}`,
    );
  const step = (name: string): DoctorStep | undefined => report?.steps.find((s) => s.step === name);
  const failedHere = (s: DoctorStep | undefined) => s !== undefined && !s.ok && !stepFacts(s).skipped;
  const passed = (s: DoctorStep | undefined) => s !== undefined && s.ok && !stepFacts(s).skipped;

  const config = step('configuration');
  if (config && 'warnings' in config && config.warnings?.some((w) => /differs from the OAuth mailbox/.test(w)))
    mark(['from-is-mailbox'], 'failed', 'the check warns: From differs from the mailbox');
  const token = step('token');
  const tokenFacts = token ? stepFacts(token) : {};
  if (passed(token)) mark(['app-registration', 'client-secret'], 'done', 'the token endpoint issued a token');
  else if (failedHere(token)) {
    const code = tokenFacts.code ?? '';
    if (/^AADSTS(700016|90002|900023)$/.test(code)) mark(['app-registration'], 'failed', `${code}: ${tokenFacts.cause ?? ''}`);
    else if (/^AADSTS(7000215|7000222)$/.test(code)) {
      mark(['app-registration'], 'done', 'the tenant knows the app');
      mark(['client-secret'], 'failed', `${code}: ${tokenFacts.cause ?? ''}`);
    }
  }
  const auth = step('auth');
  const authFacts = auth ? stepFacts(auth) : {};
  if (passed(auth))
    mark(['send-as-app', 'admin-consent', 'service-principal', 'mailbox-permission'], 'done', 'Exchange accepted the token');
  else if (failedHere(auth)) {
    if (/SMTP\.SendAsApp application role/.test(authFacts.cause ?? '')) {
      mark(['send-as-app', 'admin-consent'], 'failed', 'the token carries no SMTP.SendAsApp role: permission or consent missing');
    } else if (authFacts.code === '535 5.7.3') {
      mark(['service-principal', 'mailbox-permission'], 'failed', '535 5.7.3: one of these is missing (or the permission or consent)');
    } else if (/cannot be opened/.test(authFacts.cause ?? '')) {
      mark(['licensed-mailbox', 'mailbox-permission'], 'failed', authFacts.cause ?? '');
    }
  }
  const mailFrom = step('mail-from');
  const mailFromFacts = mailFrom ? stepFacts(mailFrom) : {};
  if (failedHere(mailFrom) && /5\.7\.60/.test(mailFromFacts.code ?? '')) mark(['from-is-mailbox'], 'failed', mailFromFacts.cause ?? '');

  return ITEMS.map((item) => {
    const marked = states.get(item.id) ?? {
      state: 'unknown' as const,
      note: report
        ? item.id === 'licensed-mailbox'
          ? 'the check cannot tell: a test mail proves it'
          : 'the check could not tell'
        : NOT_CHECKED,
    };
    return { ...item, ...marked };
  });
}

const STATE_WORDS: Record<ChecklistState, string> = { done: 'Done', failed: 'Missing or wrong', unknown: 'Not known' };

/** The checklist as a list; each item's state in words (for screen readers) besides its mark. */
export function renderChecklist(items: readonly ChecklistItem[]): SafeHtml {
  return html`<ul class="checklist" id="exchange-checklist-items">
    ${items.map(
      (item) =>
        html`<li class="${item.state}" data-item="${item.id}">
          <span class="sr-only state">${STATE_WORDS[item.state]}:</span> ${item.text} ${item.code ? html`<code>${item.code}</code>` : ''}
          <span class="muted note">(${item.note})</span>
        </li>`,
    )}
  </ul>`;
}
