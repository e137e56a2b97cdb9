import { aNewNotification } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, openWorker, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

describeOnSystemPostgres()('Postgres outbox: a worker that vanishes', () => {
  let stores: PostgresStores;
  beforeAll(async () => {
    stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
  });
  afterAll(() => stores.close());

  it('leaves its claimed mail to another worker once the lease runs out', async () => {
    const { notification } = await stores.notifications.add(aNewNotification({ createdAt: new Date(Date.now() - 1000) }));
    const leaseMs = 400;

    const doomed = await openWorker(SYSTEM_POSTGRES_URL, stores.schema);
    const [claimed] = await doomed.notifications.claimDue({ now: new Date(), limit: 10, leaseMs, owner: 'worker-a' });
    expect(claimed?.id).toBe(notification.id);
    // The worker's process dies: its connection goes, with nothing settled.
    await doomed.dataSource.destroy();

    const survivor = await openWorker(SYSTEM_POSTGRES_URL, stores.schema);
    try {
      expect(await survivor.notifications.claimDue({ now: new Date(), limit: 10, leaseMs, owner: 'worker-a' })).toEqual([]);
      await new Promise((r) => setTimeout(r, leaseMs + 100));
      const [again] = await survivor.notifications.claimDue({ now: new Date(), limit: 10, leaseMs, owner: 'worker-a' });
      expect(again).toMatchObject({ id: notification.id, status: 'sending', attempts: 2 });
    } finally {
      await survivor.dataSource.destroy();
    }
  });
});
