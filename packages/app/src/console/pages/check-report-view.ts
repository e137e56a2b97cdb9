import type { MailReceipt } from '@mailroom/domain';
import type { DoctorReport, DoctorStep } from '../../doctor/doctor-report';
import { html, type SafeHtml } from '../html';

/** The steps' names as an admin reads them (the page's script has the same list). */
export const STEP_LABELS: Readonly<Record<DoctorStep['step'], string>> = {
  configuration: 'Settings',
  resolve: 'Resolve',
  connect: 'Connect',
  tls: 'TLS',
  ehlo: 'EHLO',
  token: 'Token',
  auth: 'AUTH',
  'mail-from': 'MAIL FROM',
};

/** What a step may say besides its detail (the configuration step says issues and warnings instead). */
export function stepFacts(step: DoctorStep): { skipped?: boolean; code?: string; cause?: string; fix?: string } {
  return step.step === 'configuration' ? {} : step;
}

/** `ok`, `bad` (the failing step) or `skip` (not needed, or not run after a failure): the list item's class. */
export function stepClass(step: DoctorStep): 'ok' | 'bad' | 'skip' {
  if (stepFacts(step).skipped) return 'skip';
  return step.ok ? 'ok' : 'bad';
}

/** One step: its name, what was seen, and for the failing step its cause and fix. */
export function renderStep(step: DoctorStep): SafeHtml {
  const { code, cause, fix } = stepFacts(step);
  const notes =
    step.step === 'configuration' ? [...(step.issues ?? []).map((i) => `${i.setting}: ${i.problem}`), ...(step.warnings ?? [])] : [];
  return html`<li class="${stepClass(step)}" data-step="${step.step}">
    <strong>${STEP_LABELS[step.step]}</strong> <span class="detail">${step.detail}</span>
    ${code ? html` <code>${code}</code>` : ''}
    ${
      notes.length
        ? html`<ul class="notes">
            ${notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }
    ${cause ? html`<p><strong>Cause:</strong> <span class="cause">${cause}</span></p>` : ''}
    ${fix ? html`<pre class="fix"><strong>Fix:</strong> ${fix}</pre>` : ''}
  </li>`;
}

/** The whole report, as the form post without the page's script shows it. */
export function renderReport(report: DoctorReport | undefined): SafeHtml {
  return html`<div id="check-results" aria-live="polite" data-labels="${JSON.stringify(STEP_LABELS)}">
    ${
      report
        ? html`<p class="notice ${report.ok ? 'ok' : 'bad'}" role="status" id="check-summary">
              ${report.ok ? 'Every check passed' : 'The check failed'}: ${report.smtp}
            </p>
            <ol class="steps" id="check-steps">
              ${report.steps.map(renderStep)}
            </ol>`
        : ''
    }
  </div>`;
}

/** What a test mail's send returned: the server's answer, or why it did not take the mail. */
export type TestOutcome =
  | { readonly sent: MailReceipt; readonly to: string }
  | { readonly failed: { readonly message: string; readonly hint?: string; readonly code?: string; readonly reply?: string } };

export function renderTestOutcome(outcome: TestOutcome | undefined): SafeHtml {
  if (!outcome) return html``;
  if ('sent' in outcome) {
    const { sent, to } = outcome;
    return html`<div class="notice ok" role="status" id="test-result">
      <p>Test mail sent to ${to}. The server answered: <code>${sent.response ?? 'accepted'}</code></p>
      <p class="muted">
        Message-ID ${sent.messageId}${sent.rejected.length ? `; refused: ${sent.rejected.map((r) => r.address).join(', ')}` : ''}
      </p>
    </div>`;
  }
  const { message, hint, code, reply } = outcome.failed;
  return html`<div class="notice bad" role="alert" id="test-result">
    <p>The test mail was not sent: ${message}</p>
    ${reply ? html`<p>The server answered: <code>${reply}</code></p>` : ''} ${hint ? html`<p><strong>Fix:</strong> ${hint}</p>` : ''}
    ${code ? html`<p class="muted">Code ${code}</p>` : ''}
  </div>`;
}
