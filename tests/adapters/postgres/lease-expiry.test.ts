import { aNewNotification, minutesAfter, T0 } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, openWorker, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

describeOnSystemPostgres()('Postgres outbox: a worker that vanishes', () => {
  let stores: PostgresStores;
  beforeAll(async () => {
    stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
  });
  afterAll(() => stores.close());

  it('leaves its claimed mail to another worker once the lease runs out', async () => {
    const { notification } = await stores.notifications.add(aNewNotification({ createdAt: T0 }));
    const leaseMs = 60_000;
    const claimedAt = minutesAfter(T0, 1);

    const doomed = await openWorker(SYSTEM_POSTGRES_URL, stores.schema);
    const [claimed] = await doomed.notifications.claimDue({ now: claimedAt, limit: 10, leaseMs, owner: 'worker-a' });
    expect(claimed?.id).toBe(notification.id);
    // The worker's process dies: its connection goes, with nothing settled.
    await doomed.dataSource.destroy();

    const survivor = await openWorker(SYSTEM_POSTGRES_URL, stores.schema);
    try {
      // The claims' times are the workers' clocks: the lease is over when the survivor's clock says so, no sleep needed.
      expect(
        await survivor.notifications.claimDue({ now: new Date(claimedAt.getTime() + leaseMs - 1), limit: 10, leaseMs, owner: 'worker-b' }),
      ).toEqual([]);
      const [again] = await survivor.notifications.claimDue({
        now: new Date(claimedAt.getTime() + leaseMs),
        limit: 10,
        leaseMs,
        owner: 'worker-b',
      });
      expect(again).toMatchObject({ id: notification.id, status: 'sending', attempts: 2, claim: 2, claimedBy: 'worker-b' });
    } finally {
      await survivor.dataSource.destroy();
    }
  });
});
