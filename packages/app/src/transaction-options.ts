import type { PostgresTransaction } from '@mailroom/adapters';

/**
 * Write the notification inside the host's own open transaction, so the host's rows and the notification commit or
 * roll back together; the workers hear of it only when the host commits. `transaction` is a TypeORM `EntityManager`
 * of a transaction or a `QueryRunner` after `startTransaction()`, or a pg `Client`/`PoolClient` after `BEGIN`, on the
 * database Mailroom uses; anything else is a `HostTransactionError` saying what to pass. A `createTestMailroom()`
 * checks it the same way but adds the notification at once (its outbox is in memory, outside the host's database).
 */
export interface TransactionOptions {
  readonly transaction?: PostgresTransaction;
}
