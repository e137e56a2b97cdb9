import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresServer } from '@mailroom/adapters';
import { Client } from 'pg';

export const SYSTEM_POSTGRES_URL = process.env.MAILROOM_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database a run owns: made at the start, dropped (or its server stopped and removed) at the end. */
export interface Target {
  readonly name: 'system' | 'embedded';
  readonly url: string;
  close(): Promise<void>;
}

/** A database of its own on the system PostgreSQL, dropped at the end. */
export async function systemTarget(): Promise<Target> {
  const database = `mailroom_bench_${process.pid}`;
  const admin = new Client({ connectionString: SYSTEM_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SYSTEM_POSTGRES_URL);
  url.pathname = `/${database}`;
  return {
    name: 'system',
    url: url.toString(),
    async close() {
      const c = new Client({ connectionString: SYSTEM_POSTGRES_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The embedded PostgreSQL on a free port, data in a temporary folder removed at the end. */
export async function embeddedTarget(): Promise<Target> {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-bench-pg-'));
  chmodSync(root, 0o755); // as root, the server runs as the "postgres" user
  const server = await EmbeddedPostgresServer.start({ dataDir: join(root, 'data'), database: 'mailroom_bench' });
  return {
    name: 'embedded',
    url: server.url,
    async close() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
