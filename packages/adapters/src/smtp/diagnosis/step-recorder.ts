import { redact } from '../../secrets/redact';
import { DIAGNOSIS_STEPS, StepFailed, type DiagnosisStep, type DiagnosisStepName } from './diagnosis-step';

/** What a step that passed reports; `durationMs` when the step knows its own time better than the runner. */
export interface StepPassed {
  readonly detail: string;
  readonly durationMs?: number;
  /** Passed because there was nothing to check (e.g. TLS mode none). */
  readonly skipped?: boolean;
}

/**
 * Runs the steps in order and stops at the first failure: the steps after it are reported as not run.
 * Every text is scrubbed of the secrets known at the end (password, client secret, tokens seen); a step told to
 * `onStep` as it completes is scrubbed of the secrets known then (a token is seen before its step completes).
 */
export class StepRecorder {
  private readonly steps: DiagnosisStep[] = [];

  constructor(
    private readonly onStep?: (step: DiagnosisStep) => void,
    private readonly secrets: () => readonly (string | undefined)[] = () => [],
  ) {}

  get failed(): boolean {
    return this.steps.some((s) => !s.ok);
  }

  /** Runs `fn` as `step` unless an earlier step failed; returns whether it passed. */
  async run(step: DiagnosisStepName, fn: () => Promise<StepPassed>): Promise<boolean> {
    if (this.failed) return false;
    const outcome = await this.outcome(step, fn);
    this.record(outcome); // outside the step: a listener's error is its own, not the step's
    return outcome.ok;
  }

  private async outcome(step: DiagnosisStepName, fn: () => Promise<StepPassed>): Promise<DiagnosisStep> {
    const started = Date.now();
    try {
      const passed = await fn();
      return {
        step,
        ok: true,
        ...(passed.skipped ? { skipped: true } : {}),
        detail: passed.detail,
        durationMs: passed.durationMs ?? Date.now() - started,
      };
    } catch (error) {
      const durationMs = Date.now() - started;
      if (error instanceof StepFailed) {
        const { detail, cause, fix, code } = error.failure;
        return { step, ok: false, detail, cause, fix, ...(code === undefined ? {} : { code }), durationMs };
      }
      // Not a failure we know how to explain: say so rather than guess.
      const said = error instanceof Error ? error.message : String(error);
      return {
        step,
        ok: false,
        detail: said,
        cause: `Unexpected failure: ${said}.`,
        fix: 'Run doctor again; if it persists, report this output (it holds no secrets).',
        durationMs,
      };
    }
  }

  /** A step these settings do not need (no TLS, no OAuth2, no login). */
  notNeeded(step: DiagnosisStepName, detail: string): void {
    if (!this.failed) this.record({ step, ok: true, skipped: true, detail, durationMs: 0 });
  }

  /** Every step in order, those not reached marked as skipped (and told to `onStep`), secrets removed. */
  finish(secrets: readonly (string | undefined)[]): DiagnosisStep[] {
    const done = new Set(this.steps.map((s) => s.step));
    for (const step of DIAGNOSIS_STEPS.filter((s) => !done.has(s)))
      this.record({ step, ok: false, skipped: true, detail: 'not run: an earlier step failed', durationMs: 0 });
    return this.steps.map((s) => scrubbed(s, secrets));
  }

  private record(step: DiagnosisStep): void {
    this.steps.push(step);
    this.onStep?.(scrubbed(step, this.secrets()));
  }
}

function scrubbed(s: DiagnosisStep, secrets: readonly (string | undefined)[]): DiagnosisStep {
  const clean = (text: string) => redact(text, secrets);
  return {
    ...s,
    detail: clean(s.detail),
    ...(s.cause === undefined ? {} : { cause: clean(s.cause) }),
    ...(s.fix === undefined ? {} : { fix: clean(s.fix) }),
  };
}
