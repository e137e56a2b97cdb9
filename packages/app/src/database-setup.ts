import { createMailroomDataSource, mailroomDataSourceOnPool } from '@mailroom/adapters';
import type { Pool } from 'pg';
import type { Log } from './logging/log';
import type { DataSource } from 'typeorm';
import { redactUrl, type MailroomConfig } from './config';
import type { Resources } from './container/resources';
import { embeddedDatabaseUrl } from './dev-services';

export interface MailroomDatabase {
  readonly dataSource: DataSource;
  /** Whether Mailroom closes it on stop (not a host's DataSource). */
  readonly owned: boolean;
  /** How errors name the database: never with its password. */
  readonly label: string;
  /** What `mailroom start` prints. */
  readonly description: string;
}

/**
 * The DataSource Mailroom runs on, not yet connected: the host's DataSource, one over the host's pool, one on
 * `database.url`, or (development) on the embedded PostgreSQL, started here.
 */
export async function mailroomDatabase(
  config: MailroomConfig,
  host: { readonly dataSource?: DataSource; readonly pool?: Pool },
  resources: Resources,
  logger: Log,
): Promise<MailroomDatabase> {
  const { schema } = config.database;
  if (host.dataSource) {
    return {
      dataSource: host.dataSource,
      owned: false,
      label: "the host's DataSource",
      description: `the host's DataSource, schema ${schema}`,
    };
  }
  if (host.pool) {
    // The DataSource over the host's pool is Mailroom's to close; closing it leaves the pool open.
    return {
      dataSource: mailroomDataSourceOnPool(host.pool, { schema }),
      owned: true,
      label: "the host's pg Pool",
      description: `the host's pg Pool, schema ${schema}`,
    };
  }
  const configured = config.database.url;
  const url = configured ?? (await embeddedDatabaseUrl(config, resources, logger)).url;
  const withoutCredentials = url.replace(/\/\/[^@]*@/, '//');
  const dataSource = createMailroomDataSource({
    url,
    schema,
    poolSize: config.database.poolSize,
    connectTimeoutMs: config.database.connectTimeoutMs,
    // Names which Mailroom holds a connection in pg_stat_activity (several may share a database, one schema each).
    applicationName: `mailroom/${schema}`,
    // The pool drops a connection the server closed (a restart) and connects anew; the next call says more.
    onPoolError: (error) => logger.debug('an idle database connection failed; the pool replaces it', { reason: error.message }),
  });
  return configured
    ? { dataSource, owned: true, label: `${redactUrl(url)}, database.url`, description: `${redactUrl(url)}, schema ${schema}` }
    : {
        dataSource,
        owned: true,
        label: `the embedded PostgreSQL on ${withoutCredentials}`,
        description: `embedded PostgreSQL (${withoutCredentials}, data in ${config.database.embedded.dataDir}), schema ${schema}`,
      };
}
