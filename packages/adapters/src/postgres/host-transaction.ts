import { HostTransactionError } from '@mailroom/domain';
import type { ClientBase } from 'pg';
import type { EntityManager, QueryRunner } from 'typeorm';
import { databaseUnavailable, isUnavailable } from './database-unavailable';
import type { Sql, SqlResult } from './sql-runner';

/**
 * A host's open transaction the Postgres stores can write in: a TypeORM `EntityManager` of a transaction (the one
 * `dataSource.transaction(async (manager) => …)` hands you, or `queryRunner.manager`), a TypeORM `QueryRunner` after
 * `startTransaction()`, or a pg `Client`/`PoolClient` after `BEGIN` — on the database Mailroom uses.
 */
export type PostgresTransaction = EntityManager | QueryRunner | ClientBase;

/** What to pass, said once for every refusal. */
const WHAT_TO_PASS =
  'pass the EntityManager that dataSource.transaction(async (manager) => …) hands you, a QueryRunner after startTransaction(), or a pg client (pool.connect()) after BEGIN';

type Recognised = { readonly type: 'typeorm'; readonly runner: QueryRunner } | { readonly type: 'pg'; readonly client: ClientBase };

interface Checks {
  /** Refuse a TypeORM transaction of another engine (true for the Postgres stores; the in-memory outbox writes nothing there). */
  readonly postgresOnly: boolean;
}

/**
 * Which kind of transaction `value` is, when it is one that can carry a notification now; otherwise a
 * `HostTransactionError` saying what to pass instead. Only looks at the object: runs nothing on it. Duck-typed, so a
 * host's own copy of TypeORM or pg is recognised too.
 */
export function recogniseTransaction(value: unknown, checks: Checks = { postgresOnly: true }): Recognised {
  const refuse = (code: 'TRANSACTION.UNSUPPORTED' | 'TRANSACTION.NOT_OPEN', what: string): never => {
    throw new HostTransactionError(code, `The transaction passed to notify/publish ${what}: ${WHAT_TO_PASS}.`);
  };
  if (value === null || typeof value !== 'object') return refuse('TRANSACTION.UNSUPPORTED', `is ${kindOf(value)}, not a transaction`);
  const v = value as Record<string, unknown>;
  if (typeof v.createQueryRunner === 'function' && typeof v.initialize === 'function') {
    return refuse('TRANSACTION.UNSUPPORTED', 'is a DataSource, which runs every query on a connection of its own');
  }
  if (typeof v.query === 'function' && 'totalCount' in v && 'idleCount' in v) {
    return refuse('TRANSACTION.UNSUPPORTED', 'is a pg Pool, which runs every query on a connection of its own');
  }
  if (isQueryRunner(v)) return { type: 'typeorm', runner: openRunner(v as unknown as QueryRunner, checks, refuse) };
  // An EntityManager (a DataSource, which also has these, was refused above); its queryRunner is a transaction's.
  if (typeof v.getRepository === 'function' && typeof v.transaction === 'function') {
    const runner = v.queryRunner as QueryRunner | undefined;
    if (runner === undefined || runner === null) {
      return refuse(
        'TRANSACTION.NOT_OPEN',
        'is an EntityManager of no transaction (such as dataSource.manager, which runs each query on its own)',
      );
    }
    return { type: 'typeorm', runner: openRunner(runner, checks, refuse) };
  }
  if (typeof v.query === 'function' && 'connectionParameters' in v) {
    const client = value as ClientBase;
    // A recent pg knows the state the server reported last (getTransactionStatus); an older client is taken at its word.
    const status = typeof client.getTransactionStatus === 'function' ? client.getTransactionStatus() : 'T';
    if (status === 'I') return refuse('TRANSACTION.NOT_OPEN', 'is a pg client with no transaction open (run BEGIN on it first)');
    if (status === 'E')
      return refuse('TRANSACTION.NOT_OPEN', 'is a pg client whose transaction failed (a statement in it failed: roll it back)');
    if (status !== 'T') return refuse('TRANSACTION.NOT_OPEN', 'is a pg client that is not connected');
    return { type: 'pg', client };
  }
  return refuse('TRANSACTION.UNSUPPORTED', `is ${kindOf(value)}, not a transaction Mailroom knows`);
}

/**
 * Statements on the host's transaction, for the stores. Mailroom's timeout does not apply (the connection is the
 * host's: its own `statement_timeout` does), nor does its batching. An unreachable database is a
 * `DatabaseUnavailableError`; a database without Mailroom's tables a `HostTransactionError` (WRONG_DATABASE).
 */
export function transactionSql(value: unknown, label: string, schema: string): Sql {
  const recognised = recogniseTransaction(value);
  const query = async (text: string, params: readonly unknown[]): Promise<SqlResult<unknown>> => {
    if (recognised.type === 'pg') {
      const result = await recognised.client.query(text, params as unknown[]);
      return { rows: result.rows, count: result.rowCount ?? 0 };
    }
    const result = (await recognised.runner.query(text, params as unknown[], true)) as { records?: unknown[]; affected?: number };
    return { rows: result.records ?? [], count: result.affected ?? 0 };
  };
  return {
    run: async <R>(text: string, params: readonly unknown[] = []) => {
      try {
        return (await query(text, params)) as SqlResult<R>;
      } catch (error) {
        throw translate(error, label, schema);
      }
    },
  };
}

function isQueryRunner(v: Record<string, unknown>): boolean {
  return typeof v.query === 'function' && typeof v.startTransaction === 'function' && 'isTransactionActive' in v;
}

function openRunner(
  runner: QueryRunner,
  checks: Checks,
  refuse: (code: 'TRANSACTION.NOT_OPEN' | 'TRANSACTION.UNSUPPORTED', what: string) => never,
) {
  // `dataSource` since TypeORM 1.0, `connection` before.
  const source =
    (runner as { dataSource?: { options?: { type?: string } } }).dataSource ??
    (runner as { connection?: { options?: { type?: string } } }).connection;
  const engine = source?.options?.type;
  if (checks.postgresOnly && engine !== undefined && engine !== 'postgres') {
    refuse('TRANSACTION.UNSUPPORTED', `is a transaction of a ${engine} DataSource, and Mailroom's outbox is in PostgreSQL`);
  }
  if (runner.isReleased) refuse('TRANSACTION.NOT_OPEN', 'is a released QueryRunner');
  if (!runner.isTransactionActive)
    refuse('TRANSACTION.NOT_OPEN', 'is a QueryRunner with no transaction open (call startTransaction() first)');
  // TypeORM does not notice a failed transaction; the pg client under a Postgres QueryRunner does.
  const client = (runner as { databaseConnection?: Partial<ClientBase> }).databaseConnection;
  if (typeof client?.getTransactionStatus === 'function' && client.getTransactionStatus() === 'E') {
    refuse('TRANSACTION.NOT_OPEN', 'is a QueryRunner whose transaction failed (a statement in it failed: roll it back)');
  }
  return runner;
}

/** SQLSTATEs of a statement on a database without Mailroom's tables: undefined table, undefined function, invalid schema. */
const NOT_MIGRATED_STATES = new Set(['42P01', '42883', '3F000']);

/** SQLSTATE 25P02: current transaction is aborted, commands ignored until end of transaction block. */
const IN_FAILED_TRANSACTION = '25P02';

function translate(error: unknown, label: string, schema: string): unknown {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.code ?? e?.driverError?.code;
  if (typeof code === 'string' && NOT_MIGRATED_STATES.has(code)) {
    return new HostTransactionError(
      'TRANSACTION.WRONG_DATABASE',
      `The transaction passed to notify/publish is on a database without Mailroom's tables (schema "${schema}"): pass a transaction on the database Mailroom uses (${label}). The database refused the statement, which aborts your transaction: roll it back.`,
      { cause: error },
    );
  }
  // pg may answer the failed statement before the server's state ('E') reaches the client: the next one says so.
  if (code === IN_FAILED_TRANSACTION) {
    return new HostTransactionError(
      'TRANSACTION.NOT_OPEN',
      `The transaction passed to notify/publish failed (a statement in it failed: roll it back): ${WHAT_TO_PASS}.`,
      { cause: error },
    );
  }
  const driverError = e?.driverError ?? error;
  return isUnavailable(driverError) ? databaseUnavailable(label, driverError) : error;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value.constructor as { name?: string } | undefined)?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}
