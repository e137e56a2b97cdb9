/**
 * Mailroom's error family. Every error a caller can act on has a stable `code`
 * (namespaced, e.g. `NOTIFICATION.INVALID_PAYLOAD`), a message that says what is wrong
 * and how to fix it, and the underlying `cause`. Messages never carry secrets.
 */
export class MailroomError extends Error {
  override readonly name: string = 'MailroomError';

  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** One problem found in an input, named by its path (`payload.expiresAt`, `recipient.address`). */
export interface FieldIssue {
  readonly field: string;
  readonly problem: string;
  /** The code of the check that found it (set when one error gathers the issues of several checks). */
  readonly code?: string;
}

/** Input that fails validation: nothing was stored. `issues` holds every wrong field, `field` the first. */
export class ValidationError extends MailroomError {
  override readonly name = 'ValidationError';
  /** The first wrong field, e.g. `recipient.address`; every one is in `issues`. */
  readonly field: string;

  constructor(
    code: string,
    readonly issues: readonly FieldIssue[],
    summary: string,
  ) {
    super(code, `${summary}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`);
    this.field = issues[0]?.field ?? 'input';
  }
}

/**
 * Runs checks that throw `ValidationError` and keeps going, so a caller hears about every wrong field at
 * once. `done` throws nothing when all passed, the one error when one check failed, and otherwise one
 * error with every issue (each keeping its check's code) under the first failed check's code.
 */
export class IssueCollector {
  private readonly errors: ValidationError[] = [];

  /** The check's result, or undefined when it failed (its issues are kept). */
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ValidationError) {
        this.errors.push(e);
        return undefined;
      }
      throw e;
    }
  }

  add(code: string, issues: readonly FieldIssue[], summary: string): void {
    if (issues.length > 0) this.errors.push(new ValidationError(code, issues, summary));
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  done(summary: string): void {
    const [first, ...rest] = this.errors;
    if (first === undefined) return;
    if (rest.length === 0) throw first;
    const issues = this.errors.flatMap((e) => e.issues.map((i) => ({ ...i, code: i.code ?? e.code })));
    throw new ValidationError(first.code, issues, summary);
  }
}

/** Something asked for by id does not exist (e.g. `outbox.get` of an unknown id). */
export class NotFoundError extends MailroomError {
  override readonly name = 'NotFoundError';
}

/**
 * The database did not answer: refused, dropped, shutting down, or slower than the configured timeout. The same
 * call may succeed once PostgreSQL answers. A call that timed out may still have been applied: a `notify` with a
 * `dedupeKey` is safe to repeat. `database` names the database without its password.
 */
export class DatabaseUnavailableError extends MailroomError {
  override readonly name = 'DatabaseUnavailableError';
  /** Always true: nothing is wrong with the input; try again later. */
  readonly retryable = true;

  constructor(
    readonly database: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('DATABASE.UNAVAILABLE', `The database is unavailable (${database}): ${reason}. Try again once PostgreSQL answers.`, options);
  }
}
