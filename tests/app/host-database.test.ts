import { createMailroom, type Mailroom } from '@mailroom/app';
import { fullPayloads } from '../support/payloads';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

/** Mailroom embedded in a host that already has its database set up, on the system PostgreSQL and a real SMTP server. */
describeOnSystemPostgres()("Mailroom on the host's own database connection", () => {
  let smtp: SmtpTestServer;
  const schemas: string[] = [];
  const admin = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 1 });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    await smtp?.close();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  const settings = (schema: string) => ({
    database: { schema },
    smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' as const, auth: { type: 'none' as const } },
    from: { address: 'noreply@idm.example.com' },
    links: { baseUrl: 'https://idm.example.com/' },
    worker: { pollIntervalMs: 200 },
    log: { level: 'silent' as const },
  });

  /** Notify, deliver through the worker, and read the row back: the whole path on the host's connection. */
  async function deliversOne(mailroom: Mailroom, address: string): Promise<void> {
    mailroom.start();
    const id = await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: address, address },
      payload: fullPayloads['user-invite'],
    });
    await until(() => smtp.received.some((m) => m.to.includes(address)), `the mail to ${address}`);
    await until(async () => (await mailroom.outbox.get(id)).status === 'sent', 'the row marked sent');
    expect((await mailroom.health()).database.ok).toBe(true);
  }

  it("uses the host's TypeORM DataSource, keeps its tables in its own schema, and leaves the DataSource open", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const host = new DataSource({ type: 'postgres', url: SYSTEM_POSTGRES_URL, poolSize: 3 });
    await host.initialize();
    const mailroom = await createMailroom({ env: {}, config: settings(schema), dataSource: host });
    try {
      expect(mailroom.setup.database).toBe(`the host's DataSource, schema ${schema}`);
      await deliversOne(mailroom, 'ds@example.com');
    } finally {
      await mailroom.stop();
    }
    expect(host.isInitialized).toBe(true);
    expect(await host.query(`SELECT count(*)::int AS n FROM "${schema}".notifications WHERE status = 'sent'`)).toEqual([{ n: 1 }]);
    await host.destroy();
  });

  it("borrows the host's pg Pool (no second pool), and leaves the pool open on stop", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const host = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 4, application_name: 'host-app' });
    const mailroom = await createMailroom({ env: {}, config: settings(schema), pool: host });
    try {
      expect(mailroom.setup.database).toBe(`the host's pg Pool, schema ${schema}`);
      await deliversOne(mailroom, 'pool@example.com');
      // Every query connection Mailroom holds is one of the host's (the LISTEN connection is its own, outside any pool).
      // Mailroom's own pool would name itself mailroom/<schema>.
      const { rows } = await admin.query<{ name: string; n: number }>(
        `SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('host-app', $1) AND query NOT ILIKE 'LISTEN%' GROUP BY 1`,
        [`mailroom/${schema}`],
      );
      expect(rows.find((r) => r.name === `mailroom/${schema}`)).toBeUndefined();
      expect(host.totalCount).toBeGreaterThan(0);
    } finally {
      await mailroom.stop();
    }
    const { rows } = await host.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".notifications WHERE status = 'sent'`);
    expect(rows).toEqual([{ n: 1 }]);
    expect(host.listenerCount('error')).toBe(0);
    await host.end();
  });

  it('refuses a DataSource and a pool at once, naming both', async () => {
    const host = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 1 });
    const ds = new DataSource({ type: 'postgres', url: SYSTEM_POSTGRES_URL });
    await expect(createMailroom({ env: {}, config: settings('unused'), dataSource: ds, pool: host })).rejects.toThrow(
      /both a DataSource and a pg Pool/,
    );
    await host.end();
  });
});
