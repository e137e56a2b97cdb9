import { MailroomError } from './errors';

/**
 * The host's own open database transaction, as the host passed it to `notify` or `publish`. The domain never looks
 * inside: it hands it to the notification store, which writes the notification in it, so the host's rows and the
 * notification commit or roll back together. Which objects a store accepts is the store's business (the Postgres
 * store: a TypeORM EntityManager or QueryRunner in a transaction, or a pg client after BEGIN); it refuses any other
 * with a `HostTransactionError`.
 */
export type HostTransaction = object;

/** Where a store's write runs: on its own connection (the default), or inside the host's transaction. */
export interface WriteOptions {
  readonly transaction?: HostTransaction;
}

/** Codes of `HostTransactionError`. */
export type HostTransactionErrorCode =
  /** Not an object a store can write in (a DataSource, a Pool, a plain object, another database engine). */
  | 'TRANSACTION.UNSUPPORTED'
  /** The right kind of object, but no transaction is open on it (not begun, committed, released, or failed). */
  | 'TRANSACTION.NOT_OPEN'
  /** The transaction is on a database without Mailroom's tables (another database, or the schema not migrated there). */
  | 'TRANSACTION.WRONG_DATABASE';

/**
 * The `transaction` passed to `notify` or `publish` cannot carry the notification; the message says what to pass.
 * Nothing was written (for `TRANSACTION.WRONG_DATABASE` the database refused the statement, which aborts the host's
 * transaction: roll it back).
 */
export class HostTransactionError extends MailroomError {
  override readonly name = 'HostTransactionError';

  constructor(
    override readonly code: HostTransactionErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
