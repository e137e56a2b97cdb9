import { randomBytes } from 'node:crypto';
import { createMailroomDataSource, migrate, PostgresNotificationStore } from '@mailroom/adapters';
import { Client } from 'pg';
import { aNewNotification } from '../../support/mothers';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';

type DataSource = ReturnType<typeof createMailroomDataSource>;

/**
 * The database users production runs Mailroom with (docs/production.md): one that owns a schema an administrator
 * made for it but may not create schemas in the database, and one with only the rights to read and write the tables.
 * Neither holds CREATE on the database, which PostgreSQL checks even for CREATE SCHEMA IF NOT EXISTS.
 */
describeOnSystemPostgres()('migrate with a database user that may not create schemas', () => {
  const schema = uniqueSchema();
  const suffix = randomBytes(4).toString('hex');
  const owner = { name: `mailroom_owner_${suffix}`, password: randomBytes(12).toString('hex') };
  const app = { name: `mailroom_app_${suffix}`, password: randomBytes(12).toString('hex') };
  const admin = new Client({ connectionString: SYSTEM_POSTGRES_URL });
  const opened: DataSource[] = [];

  const urlFor = (user: { name: string; password: string }) => {
    const url = new URL(SYSTEM_POSTGRES_URL);
    url.username = user.name;
    url.password = user.password;
    return url.toString();
  };
  const open = async (user: { name: string; password: string }) => {
    const dataSource = createMailroomDataSource({ url: urlFor(user), schema, poolSize: 2 });
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  };

  beforeAll(async () => {
    await admin.connect();
    const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    for (const user of [owner, app]) {
      await admin.query(`CREATE ROLE "${user.name}" LOGIN PASSWORD '${user.password}'`);
      // PUBLIC has no CREATE on a database by default (PostgreSQL 15+); make it so on older servers too.
      await admin.query(`REVOKE CREATE ON DATABASE "${database}" FROM "${user.name}"`);
    }
    await admin.query(`CREATE SCHEMA "${schema}" AUTHORIZATION "${owner.name}"`);
  });

  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    for (const user of [app, owner]) {
      await admin.query(`DROP OWNED BY "${user.name}" CASCADE`);
      await admin.query(`DROP ROLE IF EXISTS "${user.name}"`);
    }
    await admin.end();
  });

  it('the owner of a schema made for it migrates it', async () => {
    const dataSource = await open(owner);
    expect(await migrate(dataSource, { schema })).toContain('MailroomOutbox1767600000000');
  });

  it('a user with only table rights migrates nothing (all applied) and uses the stores', async () => {
    await admin.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${app.name}"`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO "${app.name}"`);
    await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO "${app.name}"`);
    const dataSource = await open(app);
    expect(await migrate(dataSource, { schema })).toEqual([]);
    const store = new PostgresNotificationStore(dataSource, { schema });
    await store.add(aNewNotification());
    expect((await store.countByStatus()).pending).toBe(1);
  });
});
