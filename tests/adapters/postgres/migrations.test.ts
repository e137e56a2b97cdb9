import { randomUUID } from 'node:crypto';
import { createMailroomDataSource, mailroomMigrations, migrate, PostgresNotificationStore } from '@mailroom/adapters';
import { PostgresError } from '../../../packages/adapters/src/postgres/postgres-errors';
import { aNewNotification } from '../../support/mothers';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';

type DataSource = ReturnType<typeof createMailroomDataSource>;

const ALL = [
  'MailroomOutbox1767600000000',
  'MailroomSendQuota1767600060000',
  'MailroomClaims1767600120000',
  'MailroomSettings1767600180000',
  'MailroomPreferences1767600240000',
  'MailroomRecipientStatuses1767600300000',
  'MailroomSuppressions1767600360000',
  'MailroomDeadLetters1767600420000',
];

describe('mailroomMigrations', () => {
  it('makes the migrations for a schema, oldest first', () => {
    expect(mailroomMigrations('idm_mail').map((m) => new (m as unknown as new () => { name: string; mailroomSchema: string })())).toEqual(
      ALL.map((name) => expect.objectContaining({ name, mailroomSchema: 'idm_mail' })),
    );
  });

  it('refuses a schema name that would not be a plain identifier in their SQL, as every other path does', () => {
    for (const schema of ['mail"room', 'x"; DROP SCHEMA public CASCADE; --', 'Mailroom', '']) {
      expect(() => mailroomMigrations(schema)).toThrow(expect.objectContaining({ code: 'POSTGRES.SCHEMA_INVALID' }));
    }
    expect(() => mailroomMigrations('mail"room')).toThrow(PostgresError);
  });
});

describeOnSystemPostgres()('Postgres migrations', () => {
  const opened: DataSource[] = [];
  const schemas: string[] = [];
  const open = async (schema: string) => {
    const dataSource = createMailroomDataSource({ url: SYSTEM_POSTGRES_URL, schema, poolSize: 2 });
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  };
  const fresh = () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    return schema;
  };
  const names = (rows: Record<string, string>[], column: string) => rows.map((r) => r[column]);

  afterAll(async () => {
    const admin = opened[0] ?? (await open('public'));
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(opened.map((d) => d.destroy()));
  });

  it('migrates an empty database to the latest schema, with the named indexes', async () => {
    const schema = fresh();
    const dataSource = await open(schema);
    const progress: unknown[] = [];
    expect(await migrate(dataSource, { schema, onProgress: (p) => progress.push(p) })).toEqual(ALL);
    expect(progress).toEqual([
      ...ALL.map((running, done) => ({ done, total: ALL.length, running })),
      { done: ALL.length, total: ALL.length },
    ]);
    const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(names(tables, 'table_name')).toEqual([
      'migrations',
      'notifications',
      'preferences',
      'send_quota',
      'settings',
      'settings_audit',
      'subscriptions',
      'suppressions',
    ]);
    const indexes = await dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename <> 'migrations' ORDER BY 1`,
      [schema],
    );
    expect(names(indexes, 'indexname')).toEqual([
      'ix_notifications_created',
      'ix_notifications_dead',
      'ix_notifications_digest_pending',
      'ix_notifications_due',
      'ix_subscriptions_user',
      'pk_notifications',
      'pk_preferences',
      'pk_send_quota',
      'pk_settings',
      'pk_settings_audit',
      'pk_subscriptions',
      'pk_suppressions',
      'ux_notifications_dedupe_key',
    ]);
  });

  it('running the migrations again is harmless', async () => {
    const schema = fresh();
    const dataSource = await open(schema);
    await migrate(dataSource, { schema });
    await dataSource.query(
      `INSERT INTO "${schema}".subscriptions (topic, user_id, address, delivery, created_at) VALUES ('query:1', 'u1', 'u1@example.com', 'digest', now())`,
    );
    const progress: unknown[] = [];
    expect(await migrate(dataSource, { schema, onProgress: (p) => progress.push(p) })).toEqual([]);
    expect(progress).toEqual([]);
    expect(await dataSource.query(`SELECT user_id FROM "${schema}".subscriptions`)).toEqual([{ user_id: 'u1' }]);
  });

  it('two processes starting at once: one migrates, the other finds nothing to do', async () => {
    const schema = fresh();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    const ran = await Promise.all([migrate(a, { schema }), migrate(b, { schema })]);
    expect(ran.flat()).toEqual(ALL);
  });

  it('leaves TypeORM nothing to change: the entity schemas describe what the migrations make', async () => {
    const schema = fresh();
    const dataSource = await open(schema);
    await migrate(dataSource, { schema });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("migrates through a host's DataSource into Mailroom's schema, leaving the host's migrations table alone", async () => {
    // A DataSource of another schema with migrations of its own stands in for the host's.
    const hostSchema = fresh();
    const host = await open(hostSchema);
    await migrate(host, { schema: hostSchema });
    const schema = fresh();
    expect(await migrate(host, { schema })).toEqual(ALL);
    expect(await host.query(`SELECT count(*)::int AS n FROM "${hostSchema}".migrations`)).toEqual([{ n: ALL.length }]);
    expect(await host.query(`SELECT name FROM "${schema}".migrations ORDER BY timestamp`)).toEqual(ALL.map((name) => ({ name })));
    // The stores work on the host's DataSource (its pool) with Mailroom's schema.
    const store = new PostgresNotificationStore(host, { schema });
    const { notification } = await store.add(aNewNotification());
    expect((await store.get(notification.id))?.id).toBe(notification.id);
    expect(await migrate(host, { schema })).toEqual([]);
  });

  it('upgrades a database with mails in flight: their claim number starts at their attempt count, so their workers still settle them', async () => {
    const schema = fresh();
    const dataSource = await open(schema);
    // The schema as the version before claims left it (the claims migration undone), with a mail claimed twice.
    await migrate(dataSource, { schema });
    await dataSource.query(`ALTER TABLE "${schema}".notifications DROP COLUMN claim_seq, DROP COLUMN claimed_by`);
    await dataSource.query(`DELETE FROM "${schema}".migrations WHERE name = $1`, [ALL[2]]);
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "${schema}".notifications (id, kind, user_id, address, payload, delivery, status, attempts, next_attempt_at, lease_until, created_at)
       VALUES ($1, 'user-invite', 'u1', 'u1@example.com', '{}', 'immediate', 'sending', 2, now(), now() + interval '1 minute', now())`,
      [id],
    );
    expect(await migrate(dataSource, { schema })).toEqual([ALL[2]]);
    const store = new PostgresNotificationStore(dataSource, { schema });
    expect(await store.get(id)).toMatchObject({ status: 'sending', attempts: 2, claim: 2 });
    await store.settle([{ type: 'sent', id, claim: 2, at: new Date(), messageId: 'm@example.com' }]);
    expect(await store.get(id)).toMatchObject({ status: 'sent' });
  });

  it('refuses a schema name that is not a plain identifier, saying what would do', () => {
    expect(() => createMailroomDataSource({ url: SYSTEM_POSTGRES_URL, schema: 'mail"room' })).toThrow(PostgresError);
    expect(() => createMailroomDataSource({ url: SYSTEM_POSTGRES_URL, schema: 'Mailroom' })).toThrow(
      /lower-case letters, digits and underscores/,
    );
  });
});
