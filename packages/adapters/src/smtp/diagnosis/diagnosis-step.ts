/** The steps on the way from this process to a server that accepts our sender, in the order they happen. */
export const DIAGNOSIS_STEPS = ['resolve', 'connect', 'tls', 'ehlo', 'token', 'auth', 'mail-from'] as const;
export type DiagnosisStepName = (typeof DIAGNOSIS_STEPS)[number];

/**
 * One step's outcome, plain data (printed by `mailroom doctor`, returned as JSON).
 *
 * - passed: `ok: true`.
 * - failed: `ok: false`, with `cause` and `fix` in an admin's words (and `code`, a stable reply or error code).
 * - not needed for these settings (no TLS, no OAuth2, no auth): `ok: true, skipped: true`.
 * - not run because an earlier step failed: `ok: false, skipped: true`.
 */
export interface DiagnosisStep {
  readonly step: DiagnosisStepName;
  readonly ok: boolean;
  readonly skipped?: boolean;
  /** What was done and seen: addresses, certificate, mechanisms, the server's reply. */
  readonly detail: string;
  readonly cause?: string;
  readonly fix?: string;
  /** The server's reply code with its enhanced code (`535 5.7.3`), an AADSTS code, a TLS or socket error code. */
  readonly code?: string;
  readonly durationMs: number;
}

/** What a failing step knows; the runner adds the timing. */
export interface StepFailure {
  readonly detail: string;
  readonly cause: string;
  readonly fix: string;
  readonly code?: string;
}

/** Thrown inside a step to end the diagnosis there; carries the admin-facing explanation. */
export class StepFailed extends Error {
  constructor(readonly failure: StepFailure) {
    super(failure.cause);
  }
}

/** True when every step passed or was not needed. */
export function diagnosisOk(steps: readonly DiagnosisStep[]): boolean {
  return steps.every((s) => s.ok);
}
