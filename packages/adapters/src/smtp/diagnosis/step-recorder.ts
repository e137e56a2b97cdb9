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
 * Every text is scrubbed of the secrets known at the end (password, client secret, tokens seen).
 */
export class StepRecorder {
  private readonly steps: DiagnosisStep[] = [];

  get failed(): boolean {
    return this.steps.some((s) => !s.ok);
  }

  /** Runs `fn` as `step` unless an earlier step failed; returns whether it passed. */
  async run(step: DiagnosisStepName, fn: () => Promise<StepPassed>): Promise<boolean> {
    if (this.failed) return false;
    const started = Date.now();
    try {
      const passed = await fn();
      this.steps.push({
        step,
        ok: true,
        ...(passed.skipped ? { skipped: true } : {}),
        detail: passed.detail,
        durationMs: passed.durationMs ?? Date.now() - started,
      });
      return true;
    } catch (error) {
      const durationMs = Date.now() - started;
      if (error instanceof StepFailed) {
        const { detail, cause, fix, code } = error.failure;
        this.steps.push({ step, ok: false, detail, cause, fix, ...(code === undefined ? {} : { code }), durationMs });
      } else {
        // Not a failure we know how to explain: say so rather than guess.
        const said = error instanceof Error ? error.message : String(error);
        this.steps.push({
          step,
          ok: false,
          detail: said,
          cause: `Unexpected failure: ${said}.`,
          fix: 'Run doctor again; if it persists, report this output (it holds no secrets).',
          durationMs,
        });
      }
      return false;
    }
  }

  /** A step these settings do not need (no TLS, no OAuth2, no login). */
  notNeeded(step: DiagnosisStepName, detail: string): void {
    if (!this.failed) this.steps.push({ step, ok: true, skipped: true, detail, durationMs: 0 });
  }

  /** Every step in order, those not reached marked as skipped, secrets removed. */
  finish(secrets: readonly (string | undefined)[]): DiagnosisStep[] {
    const done = new Set(this.steps.map((s) => s.step));
    const all = [
      ...this.steps,
      ...DIAGNOSIS_STEPS.filter((s) => !done.has(s)).map((step): DiagnosisStep => ({
        step,
        ok: false,
        skipped: true,
        detail: 'not run: an earlier step failed',
        durationMs: 0,
      })),
    ];
    const clean = (text: string) => redact(text, secrets);
    return all.map((s) => ({
      ...s,
      detail: clean(s.detail),
      ...(s.cause === undefined ? {} : { cause: clean(s.cause) }),
      ...(s.fix === undefined ? {} : { fix: clean(s.fix) }),
    }));
  }
}
