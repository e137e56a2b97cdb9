import { PostgresSendQuota } from '@mailroom/adapters';
import { sendQuotaContract } from '../../contracts/send-quota.contract';
import { T0 } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, openWorker, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

describeOnSystemPostgres()('PostgresSendQuota', () => {
  sendQuotaContract('PostgresSendQuota on the system PostgreSQL', async () => {
    const stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
    return {
      quota: (perMinute) => new PostgresSendQuota(stores.dataSource, { schema: stores.schema, perMinute }),
      reset: async () => void (await stores.dataSource.query(`TRUNCATE "${stores.schema}".send_quota`)),
      close: () => stores.close(),
    };
  });

  describe('across processes', () => {
    let stores: PostgresStores;
    beforeAll(async () => {
      stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
    });
    afterAll(() => stores.close());

    it('holds for workers taking at once on their own connections', async () => {
      const workers = await Promise.all([1, 2, 3, 4].map(() => openWorker(SYSTEM_POSTGRES_URL, stores.schema)));
      try {
        const quotas = workers.map((w) => new PostgresSendQuota(w.dataSource, { schema: stores.schema, perMinute: 30 }));
        const granted = await Promise.all(quotas.flatMap((q) => [q.take(T0, 7), q.take(T0, 7), q.take(T0, 7)]));
        expect(granted.reduce((a, b) => a + b, 0)).toBe(30);
      } finally {
        await Promise.all(workers.map((w) => w.dataSource.destroy()));
      }
    });

    it('sweeps minutes older than an hour when a new minute starts', async () => {
      const quota = new PostgresSendQuota(stores.dataSource, { schema: stores.schema, perMinute: 30 });
      await quota.take(T0, 1);
      await quota.take(new Date(T0.getTime() + 30 * 60_000), 1);
      await quota.take(new Date(T0.getTime() + 61 * 60_000), 1);
      const minutes = await stores.dataSource.query(`SELECT minute FROM "${stores.schema}".send_quota ORDER BY minute`);
      expect(minutes).toHaveLength(2);
    });
  });
});
