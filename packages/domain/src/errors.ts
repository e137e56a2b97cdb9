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
}

/** Input that fails validation: nothing was stored. */
export class ValidationError extends MailroomError {
  override readonly name = 'ValidationError';

  constructor(
    code: string,
    readonly issues: readonly FieldIssue[],
    summary: string,
  ) {
    super(code, `${summary}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`);
  }
}

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
