import { MailroomError } from '@mailroom/domain';

/**
 * Codes of the Postgres adapter's errors. Each message says what is wrong and how to fix it; the driver's
 * error is the `cause`.
 */
export type PostgresErrorCode =
  | 'POSTGRES.SCHEMA_INVALID'
  | 'POSTGRES.MIGRATION_FAILED'
  | 'POSTGRES.ID_INVALID'
  | 'POSTGRES.CONFLICT'
  | 'POSTGRES.EMBEDDED_START_FAILED'
  | 'POSTGRES.LISTEN_FAILED'
  | 'POSTGRES.CONNECT_FAILED'
  | 'POSTGRES.NOT_INITIALIZED';

export class PostgresError extends MailroomError {
  override readonly name = 'PostgresError';

  constructor(
    override readonly code: PostgresErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
