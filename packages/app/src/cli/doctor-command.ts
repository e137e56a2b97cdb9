import { ConfigError, loadConfig } from '../config';
import { doctorReport, type DoctorReport, type DoctorStep } from '../doctor/doctor-report';
import type { GlobalOptions } from './commands';
import type { Output } from './output';

const WIDTH = Math.max(...['configuration', 'mail-from'].map((s) => s.length)) + 2;

/**
 * `mailroom doctor`: the configuration, then every step to the SMTP server (resolve, connect, TLS, EHLO,
 * token, AUTH, MAIL FROM) with the cause and fix of the first failure. Exit code 1 when a step fails.
 * Needs no database: it checks the way mail leaves, nothing else.
 */
export async function doctor(global: GlobalOptions, out: Output): Promise<number> {
  let report: DoctorReport;
  try {
    const { config, file } = loadConfig(global.config ? { file: global.config } : {});
    report = await doctorReport({ config, ...(file ? { file } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report = {
      ok: false,
      smtp: 'unknown: the configuration is invalid',
      steps: [{ step: 'configuration', ok: false, detail: error.message, issues: error.issues, durationMs: 0 }],
    };
  }
  out.result(report, () => render(report));
  return report.ok ? 0 : 1;
}

/** One line per step (✓ passed, ✗ failed, – not needed or not run), then cause and fix under the failure. */
export function render(report: DoctorReport): string {
  const lines = [`Mailroom doctor: ${report.smtp}`];
  for (const step of report.steps) {
    const mark = step.step !== 'configuration' && step.skipped ? '–' : step.ok ? '✓' : '✗';
    const time = step.durationMs > 0 ? `  (${step.durationMs} ms)` : '';
    const [first = '', ...rest] = step.detail.split('\n');
    lines.push(`${mark} ${step.step.padEnd(WIDTH)}${first}${time}`, ...rest.map((l) => indent(l)));
    if (step.step === 'configuration') {
      for (const warning of step.warnings ?? []) lines.push(indent(`warning: ${warning}`));
      continue;
    }
    if (!step.ok && !step.skipped) lines.push(...labelled('cause', step), ...labelled('fix', step));
  }
  lines.push(
    report.ok
      ? report.steps.length > 1
        ? 'All checks passed.'
        : 'Nothing more to check.'
      : `Failed at: ${failedStep(report)?.step ?? 'configuration'}.`,
  );
  return lines.join('\n');
}

function labelled(label: 'cause' | 'fix', step: DoctorStep): string[] {
  const text = step.step === 'configuration' ? undefined : step[label];
  if (!text) return [];
  const [first = '', ...rest] = text.split('\n');
  return [indent(`${`${label}:`.padEnd(7)}${first}`), ...rest.map((l) => indent(`${' '.repeat(7)}${l}`))];
}

function indent(line: string): string {
  return `${' '.repeat(WIDTH + 2)}${line}`;
}

function failedStep(report: DoctorReport): DoctorStep | undefined {
  return report.steps.find((s) => !s.ok && !(s.step !== 'configuration' && s.skipped));
}
