import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { connectFailed, databaseUnavailable, isUnavailable, timedOut } from './database-unavailable';
import { PostgresError } from './postgres-errors';

export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  readonly count: number;
}

/** Runs raw SQL on one connection; a store's statements go through it. */
export interface Sql {
  run<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlSettings {
  /**
   * Longest one database call may take — waiting for a free connection, then each statement — before it fails with
   * `DatabaseUnavailableError` and its connection is closed. Holds on a host's DataSource or Pool too. Default 10 000.
   */
  readonly queryTimeoutMs?: number;
  /** How errors name the database, never with a password, e.g. `postgres://mailroom@db:5432/app (database.url)`. */
  readonly databaseLabel?: string;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

type Release = (error?: Error) => void;
type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, release: Release) => void;

/** One borrowed connection; giving it back with an error makes the pool close it instead of reusing it. */
class Connection {
  private released = false;
  private broken: Error | undefined;
  // pg emits 'error' on a checked-out client whose socket fails (a server restart), and the pool listens only to
  // idle ones: without this listener the error would be thrown as an uncaught exception. The query fails as well.
  private readonly onError = (error: Error) => void (this.broken ??= error);

  constructor(
    readonly client: PoolClient,
    private readonly giveBack: Release,
  ) {
    client.on('error', this.onError);
  }

  release(broken?: Error): void {
    if (this.released) return;
    this.released = true;
    this.client.off('error', this.onError);
    this.giveBack(broken ?? this.broken);
  }
}

/**
 * Raw SQL through the pg pool behind a DataSource (Mailroom's own, or a host's DataSource or Pool). Each operation
 * is one statement, or one short transaction, where TypeORM's query builder would cost round trips. Every call has
 * a deadline, and every failure to reach the database (refused, dropped, shutting down, too slow) becomes a
 * `DatabaseUnavailableError`, so callers can tell "try again later" from a bug.
 */
export class SqlRunner implements Sql {
  private readonly timeoutMs: number;
  private readonly label: string;

  constructor(
    private readonly dataSource: DataSource,
    settings: SqlSettings = {},
  ) {
    this.timeoutMs = settings.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.label = settings.databaseLabel ?? 'the database';
  }

  /** One statement in its own (implicit) transaction. */
  async run<R = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const connection = await this.connect();
    try {
      return await this.query<R>(connection, text, params);
    } finally {
      connection.release();
    }
  }

  /** Runs `work` in one transaction on one connection; commits when it returns, rolls back when it throws. */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    const sql: Sql = { run: (text, params = []) => this.query(connection, text, params) };
    try {
      await sql.run('BEGIN');
      const result = await work(sql);
      await sql.run('COMMIT');
      return result;
    } catch (error) {
      // A connection that failed or timed out is closed already, which rolls the transaction back.
      await sql.run('ROLLBACK').catch(() => connection.release(new Error('rollback failed')));
      throw error;
    } finally {
      connection.release();
    }
  }

  private connect(): Promise<Connection> {
    const pool = (this.dataSource.driver as unknown as { master?: { connect(callback: ConnectCallback): void } }).master;
    if (!this.dataSource.isInitialized || pool === undefined) {
      return Promise.reject(
        new PostgresError(
          'POSTGRES.NOT_INITIALIZED',
          'The DataSource is not initialised: call initialize() on it before using the stores.',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(databaseUnavailable(this.label, timedOut('waiting for a connection', this.timeoutMs)));
      }, this.timeoutMs);
      pool.connect((error, client, release) => {
        clearTimeout(timer);
        if (late) {
          if (!error) release(); // it came after the caller gave up: back to the pool, unused
          return;
        }
        if (error) reject(isUnavailable(error) ? databaseUnavailable(this.label, error) : connectFailed(this.label, error));
        else if (client === undefined) reject(databaseUnavailable(this.label, new Error('the pool gave no connection')));
        else resolve(new Connection(client, release));
      });
    });
  }

  private query<R>(connection: Connection, text: string, params: readonly unknown[]): Promise<SqlResult<R>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = timedOut('a statement', this.timeoutMs);
        // The connection may stay stuck (a frozen server): close it so the pool does not hand it out again.
        connection.release(error);
        reject(databaseUnavailable(this.label, error));
      }, this.timeoutMs);
      connection.client.query(text, params as unknown[]).then(
        (result) => {
          clearTimeout(timer);
          resolve({ rows: result.rows as R[], count: result.rowCount ?? 0 });
        },
        (error: Error) => {
          clearTimeout(timer);
          if (!isUnavailable(error)) return reject(error);
          connection.release(error);
          reject(databaseUnavailable(this.label, error));
        },
      );
    });
  }
}
