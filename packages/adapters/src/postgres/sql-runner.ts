import type { DataSource, QueryRunner } from 'typeorm';

export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted. */
  readonly count: number;
}

/** Runs raw SQL on one connection; a store's statements go through it. */
export interface Sql {
  run<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

function onRunner(runner: QueryRunner): Sql {
  return {
    async run<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const result = await runner.query(text, params as unknown[], true);
      return { rows: (result.records ?? []) as R[], count: result.affected ?? 0 };
    },
  };
}

/**
 * Raw SQL through the DataSource's pool. The stores use it instead of the query builder: each operation is one
 * statement (or one short transaction), where the builder would cost round trips.
 */
export class SqlRunner implements Sql {
  constructor(private readonly dataSource: DataSource) {}

  /** One statement in its own (implicit) transaction. */
  async run<R = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await onRunner(runner).run<R>(text, params);
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` in one transaction on one connection; commits when it returns, rolls back when it throws. */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      try {
        const result = await work(onRunner(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        try {
          await runner.rollbackTransaction();
        } catch (rollbackError) {
          throw new AggregateError([error, rollbackError], 'A transaction failed and so did its rollback (the connection is likely lost).');
        }
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
