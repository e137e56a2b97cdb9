import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMailroomDataSource, EmbeddedPostgresServer } from '@mailroom/adapters';
import { PostgresError } from '../../../packages/adapters/src/postgres/postgres-errors';
import { startTemporaryEmbeddedPostgres } from '../../support/postgres';

describe('EmbeddedPostgresServer', () => {
  let embedded: Awaited<ReturnType<typeof startTemporaryEmbeddedPostgres>>;
  beforeAll(async () => {
    embedded = await startTemporaryEmbeddedPostgres();
  });
  afterAll(() => embedded.stop());

  const query = async (url: string, text: string) => {
    const dataSource = createMailroomDataSource({ url, poolSize: 1 });
    await dataSource.initialize();
    try {
      return await dataSource.query(text);
    } finally {
      await dataSource.destroy();
    }
  };

  it('runs a real PostgreSQL on a free port (not 5432) with its database made', async () => {
    const { server } = embedded;
    expect(server.port).not.toBe(5432);
    expect(server.url).toBe(`postgres://mailroom:mailroom@127.0.0.1:${server.port}/mailroom`);
    const [row] = await query(
      server.url,
      `SELECT current_database() AS db, current_setting('server_version_num')::int AS version, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()`,
    );
    expect(row).toEqual({ db: 'mailroom', version: expect.any(Number), encoding: 'UTF8' });
    expect(row.version).toBeGreaterThanOrEqual(180000);
  });

  it('keeps its data folder: stopped and started again, the data is still there', async () => {
    await query(embedded.server.url, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')`);
    await embedded.server.stop();
    const dataDir = join(embedded.root, 'data');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const again = await EmbeddedPostgresServer.start({ dataDir });
    embedded.server = again; // stopped by afterAll
    expect(await query(again.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
  });

  it('fails with a coded error naming the folder when a second server takes the same data folder', async () => {
    const second = EmbeddedPostgresServer.start({ dataDir: embedded.server.dataDir, startTimeoutMs: 10_000 });
    await expect(second).rejects.toThrow(PostgresError);
    await expect(second).rejects.toMatchObject({
      code: 'POSTGRES.EMBEDDED_START_FAILED',
      message: expect.stringContaining(embedded.server.dataDir),
    });
  });
});
