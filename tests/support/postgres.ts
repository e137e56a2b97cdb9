import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMailroomDataSource,
  EmbeddedPostgresServer,
  migrate,
  PostgresNotificationStore,
  PostgresRunLock,
  PostgresSettingsStore,
  PostgresPreferenceStore,
  PostgresSuppressionList,
  PostgresSubscriptionStore,
} from '@mailroom/adapters';
import { Client } from 'pg';
import type { RetentionFixture } from '../contracts/retention.contract';
import type { StoreFixture } from '../contracts/store-fixture';

// The root package does not depend on typeorm; the adapter's factory names the type.
type DataSource = ReturnType<typeof createMailroomDataSource>;

/** The system PostgreSQL the Postgres tests use (the development and CI machines run one on 5432). */
export const SYSTEM_POSTGRES_URL = process.env.MAILROOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether the system PostgreSQL answers, checked synchronously (jest collects tests synchronously) in a child
 * process. Where it does not, says so loudly; under CI=true that fails the run instead of skipping.
 */
export function systemPostgresReachable(url = SYSTEM_POSTGRES_URL): boolean {
  const pg = require.resolve('pg', { paths: [join(__dirname, '../../packages/adapters')] });
  const probe = `const { Client } = require(${JSON.stringify(pg)});
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.end(), (e) => { console.error(e.message); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', probe, url], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    const message = `The system PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} is unreachable (${reason}). Start it or set MAILROOM_TEST_DATABASE_URL.`;
    if (process.env.CI === 'true') throw new Error(`${message} CI needs it: failing rather than skipping.`, { cause: error });
    console.warn(`\n*** SKIPPING the tests on the system PostgreSQL ***\n${message}\n`);
    return false;
  }
}

/** `describe`, or `describe.skip` (after the loud warning) when the system PostgreSQL is not there. */
export function describeOnSystemPostgres(): jest.Describe {
  return systemPostgresReachable() ? describe : describe.skip;
}

export function uniqueSchema(): string {
  return `mailroom_test_${randomBytes(5).toString('hex')}`;
}

export interface PostgresStores extends StoreFixture {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly notifications: PostgresNotificationStore;
  readonly subscriptions: PostgresSubscriptionStore;
  readonly settings: PostgresSettingsStore;
  readonly preferences: PostgresPreferenceStore;
  readonly suppressions: PostgresSuppressionList;
}

/** A DataSource on a fresh, migrated schema of its own; dropped again by `close`. */
export async function openPostgresStores(url: string, schema = uniqueSchema(), poolSize = 6): Promise<PostgresStores> {
  const dataSource = createMailroomDataSource({ url, schema, poolSize, applicationName: 'mailroom-tests' });
  await dataSource.initialize();
  await migrate(dataSource, { schema });
  return {
    dataSource,
    schema,
    notifications: new PostgresNotificationStore(dataSource, { schema }),
    subscriptions: new PostgresSubscriptionStore(dataSource, { schema }),
    settings: new PostgresSettingsStore(dataSource, { schema }),
    preferences: new PostgresPreferenceStore(dataSource, { schema }),
    suppressions: new PostgresSuppressionList(dataSource, { schema }),
    async reset() {
      await dataSource.query(
        `TRUNCATE "${schema}".notifications, "${schema}".subscriptions, "${schema}".settings, "${schema}".settings_audit, "${schema}".preferences, "${schema}".suppressions`,
      );
    },
    async close() {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/** Another connection (pool) on a schema someone else migrated: a second worker process, say. */
export async function openWorker(
  url: string,
  schema: string,
  poolSize = 1,
): Promise<{ dataSource: DataSource; notifications: PostgresNotificationStore }> {
  const dataSource = createMailroomDataSource({ url, schema, poolSize, applicationName: 'mailroom-tests-worker' });
  await dataSource.initialize();
  return { dataSource, notifications: new PostgresNotificationStore(dataSource, { schema }) };
}

/** The stores with a run lock of their own, and second nodes on the same schema, each with its pool and lock. */
export async function openPostgresRetention(url: string): Promise<RetentionFixture> {
  const stores = await openPostgresStores(url);
  return {
    ...stores,
    reset: () => stores.reset(),
    close: () => stores.close(),
    lock: PostgresRunLock.forDataSource(stores.dataSource, { schema: stores.schema }),
    async otherNode() {
      const node = await openWorker(url, stores.schema, 2);
      return {
        notifications: node.notifications,
        lock: PostgresRunLock.forDataSource(node.dataSource, { schema: stores.schema }),
        close: () => node.dataSource.destroy(),
      };
    },
  };
}

/**
 * Starts an embedded PostgreSQL in a temporary folder for one test file; stop it with `stop()`, which also
 * removes the folder. The folder is opened to others because, as root, the server runs as the "postgres" user.
 */
export async function startTemporaryEmbeddedPostgres(): Promise<{ server: EmbeddedPostgresServer; root: string; stop(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-pg-'));
  chmodSync(root, 0o755);
  const temporary = {
    server: await EmbeddedPostgresServer.start({ dataDir: join(root, 'data') }),
    root,
    /** Stops the server it holds now (a test may have replaced it with a restarted one) and removes the folder. */
    async stop() {
      await temporary.server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return temporary;
}

/** Drops a test's schema (and everything in it) on its own short connection. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
