import type { ConfigIssue } from '../../config';
import type { DoctorReport } from '../../doctor/doctor-report';
import type { SettingsPage } from '../../settings/settings-view';
import type { ConsoleContext } from '../console-page';
import { html, type SafeHtml } from '../html';
import { csrfField } from '../layout';
import { fieldName, renderField, type FieldSpec } from '../setting-field';
import { formProblems, placeIssues, viewOf } from '../setting-form';
import { renderReport, renderTestOutcome, type TestOutcome } from './check-report-view';
import { exchangeChecklist, renderChecklist } from './exchange-checklist';
import { TEST_TO_FIELD, type MailServerValues } from './mail-server-change';
import {
  EXCHANGE_PRESET,
  AUTH_TYPE_FIELD,
  DIRECT_FIELDS,
  MAIL_SERVER_FIELDS,
  OAUTH2_FIELDS,
  SENDER_FIELDS,
  SERVER_FIELDS,
  TENANT_FIELD,
} from './mail-server-fields';

/** Everything the mail server page shows: the form's texts, the problems a save or check found, the last check and test. */
export interface MailServerState {
  readonly page: SettingsPage;
  readonly values: MailServerValues;
  readonly issues?: readonly ConfigIssue[];
  /** A problem of the whole form (e.g. no key to seal a secret), said above it. */
  readonly problem?: string;
  readonly report?: DoctorReport;
  readonly test?: TestOutcome;
  /** The Exchange Online preset was asked for: the checklist is shown. */
  readonly preset?: boolean;
  readonly testToError?: string;
}

const EXCHANGE_HOST = /(^|\.)(office365|outlook)\.com$/i;

/** The mail server form: server, sender, authentication, the Exchange Online checklist, check and test. */
export function mailServerBody(ctx: ConsoleContext, state: MailServerState): SafeHtml {
  const { byPath, elsewhere } = placeIssues(state.issues ?? [], MAIL_SERVER_FIELDS);
  const field = (spec: FieldSpec) =>
    renderField(spec, { view: viewOf(state.page, spec.path), value: state.values[fieldName(spec)] ?? '', error: byPath.get(spec.path) });
  const exchange = state.preset === true || EXCHANGE_HOST.test(state.values['smtp.host'] ?? '');
  const checklist = exchangeChecklist(state.report, {
    from: state.values['from.address'] ?? '',
    mailbox: state.values['oauth2.username'] ?? '',
  });
  const testToId = 'f-test-to';
  return html`${formProblems(state.issues, elsewhere, state.problem, 'The settings have problems; each is said next to its field.')}
    <p>
      <a class="button secondary" id="exchange-preset" href="${ctx.root}/mail-server?preset=exchange">Exchange Online preset</a>
      <span class="muted"
        >fills smtp.office365.com, 587, STARTTLS, OAuth2, the scope and token URL, 30 mails a minute and 3 connections.</span
      >
    </p>
    <form
      method="post"
      action="${ctx.root}/mail-server"
      id="mail-server"
      novalidate
      data-check-url="${ctx.root}/mail-server/check"
      data-preset="${JSON.stringify(EXCHANGE_PRESET)}"
    >
      ${csrfField(ctx)}
      <section class="card">
        <h2>Server</h2>
        ${SERVER_FIELDS.map(field)}
      </section>
      <section class="card">
        <h2>Sender</h2>
        ${SENDER_FIELDS.map(field)}
      </section>
      <section class="card">
        <h2>Authentication</h2>
        ${field(AUTH_TYPE_FIELD)} ${DIRECT_FIELDS.map(field)} ${OAUTH2_FIELDS.map(field)}
        <div class="field" data-show-when="smtp.auth.type=oauth2">
          <label for="f-tenant">Microsoft tenant</label>
          <input
            type="text"
            id="f-tenant"
            name="${TENANT_FIELD}"
            value="${state.values[TENANT_FIELD] ?? ''}"
            aria-describedby="f-tenant-help"
          />
          <p class="help" id="f-tenant-help">
            Directory (tenant) id or domain: fills &lt;tenant&gt; in the token URL. Not stored by itself.
          </p>
        </div>
      </section>
      <section class="card ${exchange ? '' : 'hidden'}" id="exchange-checklist">
        <h2>Exchange Online: the Microsoft side</h2>
        <p class="muted">Marked from the last check, where the check can tell.</p>
        ${renderChecklist(checklist)}
      </section>
      <section class="card">
        <h2>Check and test</h2>
        <p class="muted">Check and Send test mail use the settings in this form, before they are saved.</p>
        <div class="field">
          <label for="${testToId}">Send the test mail to</label>
          <input
            type="email"
            id="${testToId}"
            name="${TEST_TO_FIELD}"
            value="${state.values[TEST_TO_FIELD] ?? ''}"
            ${state.testToError ? html`aria-invalid="true" aria-describedby="${testToId}-error"` : ''}
          />
          ${state.testToError ? html`<p class="error" id="${testToId}-error">${state.testToError}</p>` : ''}
        </div>
        <div class="actions">
          <button type="submit" name="action" value="save">Save</button>
          <button type="submit" name="action" value="check" class="secondary" id="check-button">Check</button>
          <button type="submit" name="action" value="send-test" class="secondary">Send test mail</button>
        </div>
        ${renderReport(state.report)} ${renderTestOutcome(state.test)}
      </section>
    </form>`;
}
