import {
  createMailroom,
  createTestMailroom,
  HostTransactionError,
  NotFoundError,
  ValidationError,
  type Mailroom,
  type MailroomOptions,
} from '@mailroom/app';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

const invite = fullPayloads['user-invite'];
const inviteTo = (address: string) => ({ kind: 'user-invite' as const, recipient: { userId: address, address }, payload: invite });

/**
 * `notify(…, { transaction })` and `publish(…, { transaction })` in a host's TypeORM and pg transactions, on the system
 * PostgreSQL, with a started worker (polling every 50 ms) and a real SMTP server: the host's row and the notification
 * commit or roll back together, and the workers hear of the notification only at commit.
 */
describeOnSystemPostgres()("notify inside the host's transaction", () => {
  let smtp: SmtpTestServer;
  const schemas: string[] = [];
  const admin = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 2 });
  const opened: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });

  afterEach(async () => {
    // Mailroom first (it borrows the host's pool or DataSource), then the host's connections.
    for (const o of opened.splice(0).reverse()) await o.close();
  });

  afterAll(async () => {
    await smtp?.close();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** A started Mailroom on its own schema, with the host's table `orders` beside its tables. */
  async function startMailroom(host: Pick<MailroomOptions, 'dataSource' | 'pool'>): Promise<{ mailroom: Mailroom; schema: string }> {
    const schema = uniqueSchema();
    schemas.push(schema);
    const mailroom = await createMailroom({
      env: {},
      config: {
        // Without the host's DataSource or pool, Mailroom's own pool on the same database.
        database: host.dataSource || host.pool ? { schema } : { schema, url: SYSTEM_POSTGRES_URL },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' },
        links: { baseUrl: 'https://idm.example.com/' },
        worker: { pollIntervalMs: 50 },
        log: { level: 'silent' },
      },
      ...host,
    });
    opened.push({ close: () => mailroom.stop() });
    await admin.query(`CREATE TABLE "${schema}".orders (id text PRIMARY KEY)`);
    mailroom.start();
    return { mailroom, schema };
  }

  async function hostDataSource(): Promise<DataSource> {
    const dataSource = new DataSource({ type: 'postgres', url: SYSTEM_POSTGRES_URL, poolSize: 4 });
    await dataSource.initialize();
    opened.push({ close: () => dataSource.destroy() });
    return dataSource;
  }

  function hostPool(): Pool {
    const pool = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 4 });
    opened.push({ close: () => pool.end() });
    return pool;
  }

  const receivedBy = (address: string) => smtp.received.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  const orders = async (schema: string) =>
    (await admin.query<{ id: string }>(`SELECT id FROM "${schema}".orders ORDER BY id`)).rows.map((r) => r.id);
  const rowsTo = async (mailroom: Mailroom, address: string) => (await mailroom.outbox.list({ address, limit: 10 })).length;

  /**
   * Proves a mail was not sent without sleeping: a later mail outside any transaction is delivered by the same
   * worker, which claims in order of due time, so the earlier one would have gone first had it been there.
   */
  async function afterTheWorkerMovedOn(mailroom: Mailroom, label: string): Promise<void> {
    const marker = `marker-${label}-${Date.now()}@example.com`;
    const id = await mailroom.notify(inviteTo(marker));
    await until(async () => (await mailroom.outbox.get(id)).status === 'sent', `the marker mail ${marker} sent`);
  }

  it('TypeORM QueryRunner: rolled back, neither the row nor a mail; committed, both (dedupe keys hold inside it)', async () => {
    const host = await hostDataSource();
    const { mailroom, schema } = await startMailroom({ dataSource: host });

    const runner = host.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO "${schema}".orders (id) VALUES ('o-rolled-back')`);
    const lost = await mailroom.notify(inviteTo('rolled-back@example.com'), { transaction: runner });
    await runner.rollbackTransaction();
    await afterTheWorkerMovedOn(mailroom, 'qr');
    await expect(mailroom.outbox.get(lost)).rejects.toBeInstanceOf(NotFoundError);
    expect(receivedBy('rolled-back@example.com')).toEqual([]);

    await runner.startTransaction();
    await runner.query(`INSERT INTO "${schema}".orders (id) VALUES ('o-committed')`);
    const input = { ...inviteTo('committed@example.com'), dedupeKey: 'invite:o-committed' };
    const id = await mailroom.notify(input, { transaction: runner });
    expect(await mailroom.notify(input, { transaction: runner })).toBe(id); // the same key, inside the same transaction
    await runner.commitTransaction();
    await runner.release();
    await until(() => receivedBy('committed@example.com').length === 1, 'the committed mail');
    expect(await orders(schema)).toEqual(['o-committed']);
    await until(async () => (await mailroom.outbox.get(id)).status === 'sent', 'the row marked sent');
    expect(await mailroom.notify(input)).toBe(id); // and after commit, outside it
    expect(await rowsTo(mailroom, 'committed@example.com')).toBe(1);
  });

  it('TypeORM EntityManager of dataSource.transaction: a throw rolls both back, a return commits both', async () => {
    const host = await hostDataSource();
    const { mailroom, schema } = await startMailroom({ dataSource: host });

    await expect(
      host.transaction(async (manager) => {
        await manager.query(`INSERT INTO "${schema}".orders (id) VALUES ('o-failed')`);
        await mailroom.notify(inviteTo('failed@example.com'), { transaction: manager });
        throw new Error('the host changed its mind');
      }),
    ).rejects.toThrow('the host changed its mind');
    const id = await host.transaction(async (manager) => {
      await manager.query(`INSERT INTO "${schema}".orders (id) VALUES ('o-ok')`);
      return mailroom.notify(inviteTo('manager@example.com'), { transaction: manager });
    });
    await until(() => receivedBy('manager@example.com').length === 1, 'the committed mail');
    await afterTheWorkerMovedOn(mailroom, 'em');
    expect(await orders(schema)).toEqual(['o-ok']);
    expect(await rowsTo(mailroom, 'failed@example.com')).toBe(0);
    expect(receivedBy('failed@example.com')).toEqual([]);
    expect((await mailroom.outbox.get(id)).status).toBe('sent');
  });

  it('pg PoolClient after BEGIN: ROLLBACK leaves nothing and sends nothing, COMMIT delivers with the host row', async () => {
    const pool = hostPool();
    const { mailroom, schema } = await startMailroom({ pool });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO "${schema}".orders (id) VALUES ('p-rolled-back')`);
      await mailroom.notify(inviteTo('pg-rolled-back@example.com'), { transaction: client });
      await client.query('ROLLBACK');

      await client.query('BEGIN');
      await client.query(`INSERT INTO "${schema}".orders (id) VALUES ('p-committed')`);
      await mailroom.notify(inviteTo('pg-committed@example.com'), { transaction: client });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await until(() => receivedBy('pg-committed@example.com').length === 1, 'the committed mail');
    await afterTheWorkerMovedOn(mailroom, 'pg');
    expect(await orders(schema)).toEqual(['p-committed']);
    expect(await rowsTo(mailroom, 'pg-rolled-back@example.com')).toBe(0);
    expect(receivedBy('pg-rolled-back@example.com')).toEqual([]);
  });

  it('the wake-up goes out at commit: before it, a LISTEN connection hears nothing and a worker polling often sends nothing', async () => {
    const pool = hostPool();
    const { mailroom, schema } = await startMailroom({ pool });
    const listener = new Client({ connectionString: SYSTEM_POSTGRES_URL });
    await listener.connect();
    opened.push({ close: () => listener.end() });
    const heard: string[] = [];
    listener.on('notification', (n) => n.payload !== undefined && heard.push(n.payload));
    await listener.query('LISTEN mailroom_wakeup');
    const probe = async (name: string) => {
      await admin.query(`SELECT pg_notify('mailroom_wakeup', $1)`, [`probe ${name}`]);
      await until(() => heard.includes(`probe ${name}`), `the probe notification ${name}`);
    };

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const id = await mailroom.notify(inviteTo('waits-for-commit@example.com'), { transaction: client });
      // Notifications reach a listener in commit order: once this later one is heard, an earlier one would have been.
      await probe('before');
      expect(heard.filter((p) => p === schema)).toEqual([]);
      // The worker, on Mailroom's connections, neither sees the row nor sends it, though it looks every 50 ms.
      await afterTheWorkerMovedOn(mailroom, 'wake');
      await expect(mailroom.outbox.get(id)).rejects.toBeInstanceOf(NotFoundError);
      expect(receivedBy('waits-for-commit@example.com')).toEqual([]);

      await probe('after the marker'); // the marker mail's own wake-up is heard by now
      heard.length = 0;
      await client.query('COMMIT');
      await until(() => heard.includes(schema), 'the wake-up after commit');
      await until(() => receivedBy('waits-for-commit@example.com').length === 1, 'the mail after commit');
    } finally {
      client.release();
    }
  });

  it('publish inside the transaction: the fan-out rolls back or commits with the host', async () => {
    const host = await hostDataSource();
    const { mailroom } = await startMailroom({ dataSource: host });
    for (const userId of ['s1', 's2'])
      await mailroom.subscribe({ recipient: { userId, address: `${userId}@example.com` }, topic: 'query:7' });
    const event = { ...fullPayloads['query-results-changed'], queryId: '7' };

    const runner = host.createQueryRunner();
    await runner.startTransaction();
    expect(await mailroom.publish('query:7', 'query-results-changed', event, { eventKey: 'run-1', transaction: runner })).toBe(2);
    await runner.rollbackTransaction();
    await afterTheWorkerMovedOn(mailroom, 'publish');
    expect(await mailroom.outbox.list({ kind: 'query-results-changed', limit: 10 })).toEqual([]);

    await runner.startTransaction();
    expect(await mailroom.publish('query:7', 'query-results-changed', event, { eventKey: 'run-1', transaction: runner })).toBe(2);
    await runner.commitTransaction();
    await runner.release();
    await until(() => receivedBy('s1@example.com').length === 1 && receivedBy('s2@example.com').length === 1, 'both subscribers');
    expect(await mailroom.publish('query:7', 'query-results-changed', event, { eventKey: 'run-1' })).toBe(0);
  });

  it('refuses what is not an open transaction on its database with a HostTransactionError that says what to pass', async () => {
    const host = await hostDataSource();
    const pool = hostPool();
    const { mailroom } = await startMailroom({ dataSource: host });
    const refusal = async (transaction: unknown) => {
      const error = await mailroom.notify(inviteTo('never@example.com'), { transaction: transaction as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostTransactionError);
      expect((error as Error).message).toMatch(/pass the EntityManager that dataSource\.transaction/);
      return error as HostTransactionError;
    };
    expect(await refusal(host)).toMatchObject({ code: 'TRANSACTION.UNSUPPORTED', message: expect.stringMatching(/is a DataSource/) });
    expect(await refusal(pool)).toMatchObject({ code: 'TRANSACTION.UNSUPPORTED', message: expect.stringMatching(/is a pg Pool/) });
    expect(await refusal({ id: 'tx-1' })).toMatchObject({
      code: 'TRANSACTION.UNSUPPORTED',
      message: expect.stringMatching(/a plain object/),
    });
    expect(await refusal('tx-1')).toMatchObject({ code: 'TRANSACTION.UNSUPPORTED' });
    expect(await refusal(host.manager)).toMatchObject({
      code: 'TRANSACTION.NOT_OPEN',
      message: expect.stringMatching(/dataSource\.manager/),
    });
    const runner = host.createQueryRunner();
    expect(await refusal(runner)).toMatchObject({ code: 'TRANSACTION.NOT_OPEN', message: expect.stringMatching(/startTransaction/) });
    await runner.release();
    expect(await refusal(runner)).toMatchObject({ code: 'TRANSACTION.NOT_OPEN', message: expect.stringMatching(/released/) });

    const client = await pool.connect();
    try {
      expect(await refusal(client)).toMatchObject({ code: 'TRANSACTION.NOT_OPEN', message: expect.stringMatching(/run BEGIN/) });
      await client.query('BEGIN');
      // An invalid notification is refused before anything runs on the host's transaction, which stays usable.
      const invalid = await mailroom
        .notify({ ...inviteTo('x@example.com'), payload: { inviterName: 'Grace' } as never }, { transaction: client })
        .catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(ValidationError);
      expect(client.getTransactionStatus()).toBe('T');
      await client.query('SELECT 1/0').catch(() => undefined);
      expect(await refusal(client)).toMatchObject({ code: 'TRANSACTION.NOT_OPEN', message: expect.stringMatching(/failed/) });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await mailroom.outbox.list({ limit: 10 })).toEqual([]);
  });

  it("refuses a transaction on a database without Mailroom's tables, saying so and that it must be rolled back", async () => {
    const url = new URL(SYSTEM_POSTGRES_URL);
    const other = url.pathname === '/test' ? '/postgres' : '/test';
    const { mailroom, schema } = await startMailroom({});
    const client = new Client({ connectionString: Object.assign(url, { pathname: other }).toString() });
    await client.connect();
    opened.push({ close: () => client.end() });
    await client.query('BEGIN');
    const error = await mailroom.notify(inviteTo('elsewhere@example.com'), { transaction: client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostTransactionError);
    expect(error).toMatchObject({ code: 'TRANSACTION.WRONG_DATABASE', message: expect.stringContaining(`schema "${schema}"`) });
    expect((error as Error).message).toMatch(/roll it back/);
    await client.query('ROLLBACK');
  });

  it('an invite to someone without a user id is delivered to the address alone', async () => {
    const { mailroom } = await startMailroom({});
    const id = await mailroom.notify({
      kind: 'user-invite',
      recipient: { address: 'New.Hire@Example.com', name: 'New Hire' },
      payload: invite,
    });
    await until(() => receivedBy('New.Hire@Example.com').length === 1, 'the invite');
    expect(receivedBy('New.Hire@Example.com')[0]!.parsed.to).toMatchObject({ text: expect.stringContaining('New Hire') });
    const row = await mailroom.outbox.get(id);
    expect(row.recipient.userId).toBe('address:new.hire@example.com');
    expect(await mailroom.outbox.list({ userId: 'address:new.hire@example.com', limit: 10 })).toHaveLength(1);
  });

  it('createTestMailroom (memory) checks the transaction as production does, then adds the notification at once', async () => {
    const mailroom = await createTestMailroom();
    const pool = hostPool();
    const client = await pool.connect();
    try {
      await expect(mailroom.notify(inviteTo('t@example.com'), { transaction: client })).rejects.toMatchObject({
        code: 'TRANSACTION.NOT_OPEN',
      });
      await expect(mailroom.notify(inviteTo('t@example.com'), { transaction: pool as never })).rejects.toBeInstanceOf(HostTransactionError);
      await client.query('BEGIN');
      await mailroom.notify(inviteTo('t@example.com'), { transaction: client });
      await client.query('ROLLBACK'); // its outbox is not in the host's database: the rollback cannot reach it
    } finally {
      client.release();
    }
    expect(await mailroom.deliver()).toBe(1);
    expect(mailroom.sentTo('t@example.com')).toHaveLength(1);
  });
});
