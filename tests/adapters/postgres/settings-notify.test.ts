import { Client } from 'pg';
import { T0 } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';
import { until } from '../../support/until';

describeOnSystemPostgres()('PostgresSettingsStore: every node hears of a change', () => {
  let stores: PostgresStores;
  let listener: Client;
  const heard: string[] = [];

  beforeAll(async () => {
    stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
    listener = new Client({ connectionString: SYSTEM_POSTGRES_URL });
    await listener.connect();
    // Other test files may save settings in schemas of their own at the same time: only this schema's count.
    listener.on(
      'notification',
      (m) => m.channel === 'mailroom_settings' && m.payload?.startsWith(`${stores.schema}:`) && heard.push(m.payload),
    );
    await listener.query('LISTEN mailroom_settings');
  });
  afterAll(async () => {
    await listener.end();
    await stores.close();
  });

  it('NOTIFYs `<schema>:<version>` once the change is committed, and not for a refused one', async () => {
    await stores.settings.apply({ set: { 'smtp.host': { value: 'smtp.office365.com' } }, by: 'admin', at: T0 });
    await until(() => heard.length === 1, 'the notification of version 1');
    expect(heard).toEqual([`${stores.schema}:1`]);
    await expect(stores.settings.apply({ set: { 'smtp.host': { value: 'x' } }, by: 'late', at: T0 }, 0)).rejects.toMatchObject({
      code: 'SETTINGS.CONFLICT',
    });
    await stores.settings.apply({ unset: ['smtp.host'], by: 'admin', at: T0 });
    await until(() => heard.length === 2, 'the notification of version 2');
    expect(heard).toEqual([`${stores.schema}:1`, `${stores.schema}:2`]);
  });
});
