import { diagnoseSmtp, type DiagnosisStep } from '@mailroom/adapters';
import { checkConsistency, type ConfigIssue, type MailroomConfig } from '../config';
import { CONFIG_SETTING_NAMES } from '../config/smtp-setting-names';
import { toSmtpSettings } from '../container/smtp-settings';
import { catcherSmtpConfig, runningCatcherPort } from '../dev-services';

/** The first step of `doctor`: the configuration was read and validated (or not). */
export interface ConfigurationStep {
  readonly step: 'configuration';
  readonly ok: boolean;
  readonly detail: string;
  readonly issues?: readonly ConfigIssue[];
  readonly warnings?: readonly string[];
  readonly durationMs: number;
}

/** One step of the doctor's report. */
export type DoctorStep = ConfigurationStep | DiagnosisStep;

/** What `mailroom.doctor()` and `mailroom doctor` report: the configuration check, then each step to the SMTP server. */
export interface DoctorReport {
  /** True when no step failed. */
  readonly ok: boolean;
  /** What was checked: `smtp.example.com:587 (TLS starttls, auth oauth2)` or the development catcher. */
  readonly smtp: string;
  readonly steps: readonly DoctorStep[];
}

export interface DoctorInput {
  readonly config: MailroomConfig;
  /** The configuration file read, if any. */
  readonly file?: string;
  /** Passed to the OAuth2 token source (a proxy-aware fetch). */
  readonly fetch?: typeof fetch;
  /** Told each step as it completes, in order (the admin console shows them as they come). */
  readonly onStep?: (step: DoctorStep) => void;
}

/**
 * Diagnoses the way to the configured SMTP server. Without one, mail goes to the development catcher:
 * the one running on this machine is diagnosed; when none runs there is nothing to check, and the report says so.
 */
export async function doctorReport(input: DoctorInput): Promise<DoctorReport> {
  const { config } = input;
  const { warnings } = checkConsistency(config);
  const source = input.file ?? 'no configuration file; defaults and MAILROOM_ variables';
  const configured = (detail: string, ok = true, issues?: readonly ConfigIssue[]): ConfigurationStep => {
    const step: ConfigurationStep = {
      step: 'configuration',
      ok,
      detail,
      ...(issues ? { issues } : {}),
      ...(warnings.length ? { warnings } : {}),
      durationMs: 0,
    };
    input.onStep?.(step);
    return step;
  };

  let smtp = config.smtp;
  let target: string;
  if (smtp) {
    target = `${smtp.host}:${smtp.port ?? 'default port'} (TLS ${smtp.tls}, auth ${smtp.auth.type})`;
  } else {
    const port = runningCatcherPort(config);
    if (port === undefined) {
      const note = `${source}. No SMTP server is configured (smtp.host): mails go to the development mail catcher that \`mailroom start\` runs, and none is running now, so there is no SMTP server to check. Set smtp.host and its settings to send real mail.`;
      return { ok: true, smtp: 'development mail catcher (not running)', steps: [configured(note)] };
    }
    smtp = catcherSmtpConfig(port);
    target = `development mail catcher on 127.0.0.1:${port} (no SMTP server is configured; mails stay on this machine)`;
  }

  let settings;
  try {
    settings = toSmtpSettings(smtp);
  } catch (error) {
    const issues = (error as { issues?: readonly ConfigIssue[] }).issues;
    return { ok: false, smtp: target, steps: [configured((error as Error).message, false, issues)] };
  }
  const first = configured(`${source}; SMTP ${target}`);
  const steps = await diagnoseSmtp(settings, {
    from: config.from.address,
    names: CONFIG_SETTING_NAMES,
    timeoutMs: smtp.connectionTimeoutMs,
    ...(input.fetch ? { tokenEnvironment: { fetch: input.fetch } } : {}),
    ...(input.onStep ? { onStep: input.onStep } : {}),
  });
  const all: DoctorStep[] = [first, ...steps];
  return { ok: all.every((s) => s.ok), smtp: target, steps: all };
}

export { CONFIG_SETTING_NAMES };
