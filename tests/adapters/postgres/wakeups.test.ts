import { PostgresWakeups } from '@mailroom/adapters';
import { aNewNotification, aRecipient, aSubscription } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

describeOnSystemPostgres()('PostgresWakeups (LISTEN/NOTIFY)', () => {
  let stores: PostgresStores;
  let other: PostgresStores;
  let wakeups: PostgresWakeups;

  beforeAll(async () => {
    [stores, other] = await Promise.all([openPostgresStores(SYSTEM_POSTGRES_URL), openPostgresStores(SYSTEM_POSTGRES_URL)]);
    wakeups = PostgresWakeups.forDataSource(stores.dataSource, { schema: stores.schema });
    await wakeups.start();
  });
  afterAll(async () => {
    await wakeups.close();
    await Promise.all([stores.close(), other.close()]);
  });

  it('times out when nothing is added: the caller polls', async () => {
    expect(await wakeups.wait(100)).toBe(false);
  });

  it('wakes a waiting worker when a mail is added', async () => {
    const woken = wakeups.wait(5_000);
    const started = Date.now();
    await stores.notifications.add(aNewNotification());
    expect(await woken).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wakes once for a whole fan-out, and keeps a wake that came while nobody waited', async () => {
    let wakes = 0;
    const off = wakeups.onWake(() => wakes++);
    for (const userId of ['a', 'b', 'c']) await stores.subscriptions.subscribe(aSubscription({ subscriber: aRecipient({ userId }) }));
    await stores.notifications.addForSubscribers({ topic: 'query:42', kind: 'query-results-changed', payload: {}, createdAt: new Date() });
    await new Promise((r) => setTimeout(r, 200));
    off();
    expect(wakes).toBe(1);

    await stores.notifications.add(aNewNotification());
    await new Promise((r) => setTimeout(r, 200));
    expect(await wakeups.wait(0)).toBe(true);
  });

  it('ignores mails added to another Mailroom schema', async () => {
    await wakeups.wait(0); // a wake kept from before must not answer the wait below
    let wakes = 0;
    const off = wakeups.onWake(() => wakes++);
    // PostgreSQL delivers notifications to a listener in commit order: when the wake of the second insert (ours)
    // arrives, the first one's (the other schema's) has been seen already — and must have woken nobody.
    await other.notifications.add(aNewNotification());
    const woken = wakeups.wait(5_000);
    await stores.notifications.add(aNewNotification());
    expect(await woken).toBe(true);
    off();
    expect(wakes).toBe(1);
  });

  it('reconnects after losing its connection, and wakes for what it may have missed', async () => {
    const errors: string[] = [];
    const name = `wakeups-${stores.schema}`;
    const connection = { connectionString: SYSTEM_POSTGRES_URL, application_name: name };
    const resilient = new PostgresWakeups({ connection, schema: stores.schema, reconnectDelayMs: 50, onError: (e) => errors.push(e.code) });
    await resilient.start();
    try {
      const [{ count }] = await stores.dataSource.query(
        `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity WHERE application_name = $1`,
        [name],
      );
      expect(count).toBe(1);
      expect(await resilient.wait(3_000)).toBe(true); // the wake after reconnecting
      expect(errors).toContain('POSTGRES.LISTEN_FAILED');
      const woken = resilient.wait(3_000);
      await stores.notifications.add(aNewNotification());
      expect(await woken).toBe(true);
    } finally {
      await resilient.close();
    }
  });
});
