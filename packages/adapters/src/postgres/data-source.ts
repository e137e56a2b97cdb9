import type { ClientConfig, Pool, PoolClient } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { mailroomEntities } from './entities';
import { mailroomMigrations } from './migrations';
import { PostgresError } from './postgres-errors';
import { DEFAULT_CONNECT_TIMEOUT_MS, schemaName, type PostgresSettings, type SchemaSettings } from './postgres-settings';

/** What makes a DataSource Mailroom's, whatever its connection. */
function mailroomOptions(schema: string): Partial<PostgresDataSourceOptions> {
  return {
    schema,
    entities: mailroomEntities(schema),
    migrations: mailroomMigrations(schema),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // Never synchronize: the schema changes only through migrations.
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (which would need a superuser).
    installExtensions: false,
    // A host's entity subscribers have no business with Mailroom's rows.
    subscribers: [],
  };
}

/** A DataSource over `pg` for Mailroom's own pool. Not yet initialised: call `initialize()`, then `migrate()`. */
export function createMailroomDataSource(settings: PostgresSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? 'mailroom',
    // A frozen or unreachable server: connecting (and waiting for a free connection) gives up after this.
    connectTimeoutMS: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Idle connections of a server that vanished are found out by TCP, not only at their next use.
    extra: { keepAlive: true },
    // An idle connection that the server dropped (a restart) is removed by the pool; the next use connects anew.
    poolErrorHandler: (error: Error) => settings.onPoolError?.(error),
    ...mailroomOptions(schemaName(settings)),
  });
}

/**
 * A DataSource for Mailroom on the database a host's own DataSource connects to, with its own pool (of
 * `poolSize`, default 2). `migrate` uses it when given a host's DataSource; the stores can use the host's
 * DataSource itself.
 */
export function mailroomDataSourceFor(host: DataSource, settings: SchemaSettings & { poolSize?: number } = {}): DataSource {
  if (host.options.type !== 'postgres') {
    throw new PostgresError('POSTGRES.MIGRATION_FAILED', `Mailroom needs PostgreSQL; the DataSource given is "${host.options.type}".`);
  }
  const options: DataSourceOptions = { ...host.options, poolSize: settings.poolSize ?? 2, ...mailroomOptions(schemaName(settings)) };
  return new DataSource(options);
}

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, release: (release?: unknown) => void) => void;

/**
 * A DataSource for Mailroom over a host's own `pg` Pool: Mailroom's queries borrow the host's connections, no
 * second pool is set up, and destroying the DataSource leaves the pool open (the host owns it). The LISTEN
 * connection for wake-ups is the one connection Mailroom opens itself, with the pool's connection settings.
 */
export function mailroomDataSourceOnPool(pool: Pool, settings: SchemaSettings = {}): DataSource {
  const listeners: [string, (...args: unknown[]) => void][] = [];
  // What TypeORM's Postgres driver uses of a pg Pool: connect, on('error'), end, and the settings it was built with.
  const borrowed = {
    options: pool.options,
    connect: (callback: ConnectCallback) => pool.connect(callback),
    on(event: string, listener: (...args: unknown[]) => void) {
      pool.on(event as 'error', listener);
      listeners.push([event, listener]);
      return borrowed;
    },
    end(callback?: (error?: Error) => void) {
      for (const [event, listener] of listeners.splice(0)) pool.off(event, listener);
      callback?.();
    },
  };
  const driver = {
    Pool: function BorrowedPool() {
      return borrowed;
    },
  };
  return new DataSource({ type: 'postgres', driver, ...mailroomOptions(schemaName(settings)) });
}

/**
 * The client settings of a DataSource's pg pool (TypeORM's Postgres driver keeps its pool as `master`, and the pool
 * the settings it was built with), for a connection of its own next to the pool; undefined before the pool exists.
 */
export function poolClientConfig(dataSource: DataSource): ClientConfig | undefined {
  return (dataSource.driver as unknown as { master?: { options?: ClientConfig } }).master?.options;
}
