import { digestDedupeKey, type DigestBatch, type Notification } from '@mailroom/domain';
import { aNewNotification, aRecipient, T0, minutesAfter } from '../../support/mothers';
import { describeOnSystemPostgres, openPostgresStores, openWorker, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

const MAILS = 10_000;
const WORKERS = 4;
const LEASE = 60_000;

describeOnSystemPostgres()('Postgres outbox under concurrent workers', () => {
  let stores: PostgresStores;
  let workers: Awaited<ReturnType<typeof openWorker>>[];

  beforeAll(async () => {
    stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
    // Each worker is its own pool of one connection, as separate processes would be.
    workers = await Promise.all(Array.from({ length: WORKERS }, () => openWorker(SYSTEM_POSTGRES_URL, stores.schema)));
  });
  beforeEach(() => stores.reset());
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dataSource.destroy()));
    await stores.close();
  });

  it(`${WORKERS} workers claiming from ${MAILS} due mails claim every mail exactly once`, async () => {
    // The mails come from a fan-out: subscribers made in the database, then one INSERT … SELECT.
    await stores.dataSource.query(
      `INSERT INTO "${stores.schema}".subscriptions (topic, user_id, address, delivery, created_at)
       SELECT 'query:42', 'u' || lpad(i::text, 6, '0'), 'u' || i || '@example.com', 'immediate', $1
       FROM generate_series(1, ${MAILS}) AS i`,
      [T0],
    );
    expect(
      await stores.notifications.addForSubscribers({ topic: 'query:42', kind: 'query-results-changed', payload: {}, createdAt: T0 }),
    ).toBe(MAILS);

    const claimedBy = workers.map(() => [] as string[]);
    await Promise.all(
      workers.map(async (worker, w) => {
        for (;;) {
          const batch = await worker.notifications.claimDue({ now: minutesAfter(T0, 1), limit: 100, leaseMs: LEASE, owner: 'worker-a' });
          if (batch.length === 0) return;
          claimedBy[w]!.push(...batch.map((n) => n.id));
          await worker.notifications.settle(
            batch.map((n) => ({ type: 'sent', id: n.id, claim: n.claim, at: T0, messageId: `${n.id}@example.com` })),
          );
        }
      }),
    );

    const all = claimedBy.flat();
    expect(all).toHaveLength(MAILS);
    expect(new Set(all).size).toBe(MAILS);
    // Every worker got a share: they really ran side by side.
    for (const ids of claimedBy) expect(ids.length).toBeGreaterThan(0);
    expect(await stores.notifications.countByStatus()).toMatchObject({ sent: MAILS, pending: 0, sending: 0 });
  }, 60_000);

  it('two digest runs at once make one digest per recipient and digest every item once', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    for (const userId of users) {
      for (let i = 0; i < 3; i++) {
        await stores.notifications.add(
          aNewNotification({ recipient: aRecipient({ userId }), delivery: 'digest', createdAt: minutesAfter(T0, i) }),
        );
      }
    }
    const periodEnd = minutesAfter(T0, 60);
    // What SendDigests does: page through the recipients, their digest steps in chunks.
    const run = async (store: (typeof workers)[number]['notifications']): Promise<Notification[]> => {
      const made: Notification[] = [];
      const recipients = await store.digestRecipients(periodEnd, 1000);
      for (let i = 0; i < recipients.length; i += 8) {
        const requests = recipients.slice(i, i + 8).map((userId) => ({
          userId,
          periodEnd,
          maxItems: 20,
          dedupeKey: digestDedupeKey(userId, periodEnd),
          build: (batch: DigestBatch) =>
            aNewNotification({
              recipient: batch.listed[0]!.recipient,
              kind: 'digest',
              payload: { count: batch.totalCount },
              createdAt: periodEnd,
            }),
        }));
        made.push(...(await store.createDigests(requests)));
      }
      return made;
    };
    const [first, second] = await Promise.all([run(workers[0]!.notifications), run(workers[1]!.notifications)]);

    const digests = [...first, ...second];
    expect(digests.map((d) => d.recipient.userId).sort()).toEqual(users);
    expect(await stores.notifications.countByStatus()).toMatchObject({ digested: users.length * 3, pending: users.length });
    for (const d of digests) expect(d.payload).toEqual({ count: 3 });
  }, 60_000);
});
