import type { LockedRun, RunLock } from '@mailroom/domain';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { poolClientConfig } from './data-source';
import { connectionError, databaseUnavailable, isUnavailable } from './database-unavailable';
import { PostgresError } from './postgres-errors';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { DEFAULT_QUERY_TIMEOUT_MS, type SqlSettings } from './sql-runner';

/** How `PostgresRunLock` connects: its connection, Mailroom's schema (part of the lock's key) and the statement timeout. */
export interface RunLockSettings extends SchemaSettings, SqlSettings {
  /**
   * The lock's connection: a URL, pg's client settings, or a function that gives them when a run starts (a DataSource
   * not initialised yet). Opened for each run, outside any pool.
   */
  readonly connection: string | ClientConfig | (() => ClientConfig);
}

/**
 * One process of the cluster runs a job at a time: a session advisory lock (`pg_try_advisory_lock`) on a connection
 * of its own, held while the job runs, so the job's statements use the pool as usual and a small pool is not left
 * one connection short for the run. Another process does not wait: it skips the run. The key is the schema and the
 * job, so two Mailroom schemas in one database do not hold each other up. A connection that dies mid-run takes the
 * lock with it (the server releases it): the job then finishes while another may start, which is why jobs under it
 * must stay safe to overlap.
 */
export class PostgresRunLock implements RunLock {
  private readonly schema: string;
  private readonly timeoutMs: number;
  private readonly label: string;

  constructor(private readonly settings: RunLockSettings) {
    this.schema = schemaName(settings);
    this.timeoutMs = settings.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.label = settings.databaseLabel ?? 'the database';
  }

  /**
   * Locks with the same connection settings as the DataSource's pool (Mailroom's own, or a host's DataSource or Pool),
   * read when a run starts: the DataSource may be initialised later, and is never connected by this.
   */
  static forDataSource(dataSource: DataSource, settings: Omit<RunLockSettings, 'connection'> = {}): PostgresRunLock {
    return new PostgresRunLock({
      ...settings,
      connection: () => {
        const options = poolClientConfig(dataSource);
        if (!dataSource.isInitialized || options === undefined) {
          throw new PostgresError(
            'POSTGRES.NOT_INITIALIZED',
            'The DataSource is not initialised: call initialize() on it before running a job under its lock.',
          );
        }
        return options;
      },
    });
  }

  async tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>> {
    const { connection } = this.settings;
    const base =
      typeof connection === 'string' ? { connectionString: connection } : typeof connection === 'function' ? connection() : connection;
    const client = new Client({ ...base, connectionTimeoutMillis: this.timeoutMs, query_timeout: this.timeoutMs });
    // A socket that fails mid-run ends the session and so the lock; the job's own statements report their errors.
    client.on('error', () => undefined);
    const key = `mailroom:${this.schema}:${job}`;
    let locked: boolean;
    try {
      await client.connect().catch((error: unknown) => {
        throw connectionError(this.label, error);
      });
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      locked = rows[0]?.locked === true;
    } catch (error) {
      await client.end().catch(() => undefined); // the connection failed already; that error is the one to report
      throw isUnavailable(error) ? databaseUnavailable(this.label, error) : error;
    }
    if (!locked) {
      await client.end().catch(() => undefined);
      return { ran: false };
    }
    try {
      return { ran: true, result: await work() };
    } finally {
      // Unlocked by name first: a connection pooler between here and the server may keep the session, and its lock,
      // past end(). Should the unlock fail, ending the session releases the lock all the same.
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
