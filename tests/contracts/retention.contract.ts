import { ManualClock, SystemTimers } from '@mailroom/adapters';
import {
  DEFAULT_RETENTION,
  PURGE_JOB,
  PurgeOldNotifications,
  type Notification,
  type NotificationStore,
  type PurgeableStatus,
  type PurgeListener,
  type RetentionSettings,
  type RunLock,
} from '@mailroom/domain';
import { aNewNotification, aRecipient, T0 } from '../support/mothers';
import type { StoreFixture } from './store-fixture';

/** Another node on the same outbox: its own connections and its own lock (in memory, the same store and lock). */
export interface RetentionNode {
  readonly notifications: NotificationStore;
  readonly lock: RunLock;
  close(): Promise<void>;
}

/** The stores of one node with its run lock, and a way to open a second node on the same outbox. */
export interface RetentionFixture extends StoreFixture {
  readonly lock: RunLock;
  otherNode(): Promise<RetentionNode>;
}

const DAY = 24 * 60 * 60_000;
const LEASE = 5 * 60_000;
const ago = (days: number) => new Date(T0.getTime() - days * DAY);
const settings = (changes: Partial<RetentionSettings> = {}): RetentionSettings => ({ ...DEFAULT_RETENTION, pauseMs: 0, ...changes });
const err = { code: 'SEND.PERMANENT', message: '550 no such mailbox', responseCode: 550 };

/** A lock that always lets the work run: two purges at once, as when a lock was lost with its connection. */
const NO_LOCK: RunLock = { tryRun: async (_job, work) => ({ ran: true, result: await work() }) };

/**
 * Retention (`PurgeOldNotifications` over `NotificationStore.purgeBatch` and a `RunLock`), run against every adapter:
 * rows are made in each state through the store's own operations, at times days before `T0`, the clock's now.
 */
export function retentionContract(name: string, open: () => Promise<RetentionFixture>): void {
  describe(`Retention contract: ${name}`, () => {
    let fixture: RetentionFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    beforeEach(() => fixture.reset());
    afterAll(() => fixture?.close());
    const store = () => fixture.notifications;
    const clock = new ManualClock(T0);
    const purger = (
      changes: Partial<RetentionSettings> = {},
      listener?: PurgeListener,
      node: { notifications: NotificationStore; lock: RunLock } = fixture,
    ) => new PurgeOldNotifications(node.notifications, node.lock, clock, new SystemTimers(), settings(changes), listener);

    /** Claims exactly this mail at `now` (the test makes rows so that it is the oldest due one). */
    async function claim(id: string, now: Date): Promise<Notification> {
      const [claimed, ...more] = await store().claimDue({ now, limit: 1, leaseMs: LEASE, owner: 'worker-a' });
      if (claimed?.id !== id || more.length > 0) throw new Error(`claimed ${claimed?.id} instead of ${id}`);
      return claimed;
    }
    async function sent(daysAgo: number): Promise<string> {
      const { notification } = await store().add(aNewNotification({ createdAt: ago(daysAgo) }));
      const c = await claim(notification.id, ago(daysAgo));
      await store().settle([{ type: 'sent', id: c.id, claim: c.claim, at: ago(daysAgo), messageId: `${c.id}@example.com` }]);
      return c.id;
    }
    async function dead(daysAgo: number): Promise<string> {
      const { notification } = await store().add(aNewNotification({ createdAt: ago(daysAgo) }));
      const c = await claim(notification.id, ago(daysAgo));
      await store().settle([{ type: 'dead', id: c.id, claim: c.claim, at: ago(daysAgo), error: err }]);
      return c.id;
    }
    async function recorded(status: 'skipped' | 'suppressed', daysAgo: number): Promise<string> {
      return (await store().add(aNewNotification({ createdAt: ago(daysAgo), status }))).notification.id;
    }
    /** Digest items of one recipient, `daysAgo`, and their digest mail (pending) made at the period's end. */
    async function digest(daysAgo: number, items = 3): Promise<{ items: string[]; digest: Notification }> {
      const who = aRecipient();
      const ids: string[] = [];
      for (let i = 0; i < items; i++) {
        ids.push((await store().add(aNewNotification({ recipient: who, delivery: 'digest', createdAt: ago(daysAgo) }))).notification.id);
      }
      const periodEnd = new Date(ago(daysAgo).getTime() + 60 * 60_000);
      const [made] = await store().createDigests([
        {
          userId: who.userId,
          periodEnd,
          maxItems: 10,
          dedupeKey: `digest:${periodEnd.toISOString()}:${who.userId}`,
          build: (batch) => ({
            ...aNewNotification({ recipient: who, createdAt: periodEnd }),
            kind: 'digest',
            payload: { items: batch.listed.map((n) => n.id), totalCount: batch.totalCount },
          }),
        },
      ]);
      if (!made) throw new Error('no digest made');
      return { items: ids, digest: made };
    }
    const exists = async (id: string) => (await store().get(id)) !== undefined;
    async function present(ids: readonly string[]): Promise<string[]> {
      const found: string[] = [];
      for (const id of ids) if (await exists(id)) found.push(id);
      return found;
    }

    it('purges each final status older than its days, keeps younger rows and statuses kept forever, and counts per status', async () => {
      const old = {
        sent: [await sent(31), await sent(200)],
        dead: [await dead(91)],
        skipped: [await recorded('skipped', 31)],
        suppressed: [await recorded('suppressed', 45)],
      };
      const young = [await sent(29), await dead(89), await recorded('skipped', 1), await recorded('suppressed', 29)];
      const report = await purger().run();
      expect(report).toMatchObject({
        ran: true,
        dryRun: false,
        purged: { sent: 2, dead: 1, skipped: 1, suppressed: 1, digested: 0 },
        total: 5,
        interrupted: false,
      });
      expect(report.cutoffs).toEqual({ sent: ago(30), digested: ago(30), skipped: ago(30), suppressed: ago(30), dead: ago(90) });
      expect(await present(Object.values(old).flat())).toEqual([]);
      expect(await present(young)).toEqual(young);

      // 0 keeps a status forever: no cut-off, nothing purged.
      const kept = await sent(400);
      const forever = await purger({ days: { ...DEFAULT_RETENTION.days, sent: 0 } }).run();
      expect(forever.cutoffs.sent).toBeUndefined();
      expect(forever.purged.sent).toBe(0);
      expect(await exists(kept)).toBe(true);
    });

    it('never touches pending or sending rows, however old', async () => {
      // Claimed 300 days ago and its lease long run out: still sending, as far as the row says.
      const sending = (await store().add(aNewNotification({ createdAt: ago(300) }))).notification.id;
      await claim(sending, ago(300));
      const pending = (await store().add(aNewNotification({ createdAt: ago(400) }))).notification.id;
      const digestItem = (await store().add(aNewNotification({ delivery: 'digest', createdAt: ago(400) }))).notification.id;
      const everything = { sent: 1, digested: 1, skipped: 1, suppressed: 1, dead: 1 };
      const report = await purger({ days: everything }).run();
      expect(report.total).toBe(0);
      expect(await present([pending, digestItem, sending])).toEqual([pending, digestItem, sending]);
      expect(await store().countByStatus()).toMatchObject({ pending: 2, sending: 1 });
    });

    it('deletes at most batchSize rows per statement: 5 rows in batches of 2 take 3 statements', async () => {
      const rows = [];
      for (let i = 0; i < 5; i++) rows.push(await sent(40 + i));
      // One statement alone: exactly two rows, the oldest.
      const first = await store().purgeBatch({ status: 'sent', before: ago(30), limit: 2 });
      expect(first.count).toBe(2);
      expect(await present(rows)).toEqual(rows.slice(0, 3));
      expect(first.last?.createdAt.getTime()).toBe(ago(43).getTime());

      await sent(50);
      const seen: [PurgeableStatus, number][] = [];
      const report = await purger({ batchSize: 2 }, { batchPurged: (status, count) => void seen.push([status, count]) }).run();
      expect(seen).toEqual([
        ['sent', 2],
        ['sent', 2],
      ]);
      expect(report.purged.sent).toBe(4);
      // sent: 2 + 2 + an empty third; then one statement for each other status.
      expect(report.batches).toBe(3 + 4);
      expect((await store().countByStatus()).sent).toBe(0);
    });

    it('walks past rows it keeps (other statuses, kept forever) without stalling on them', async () => {
      const purged: string[] = [];
      const kept: string[] = [];
      for (let i = 0; i < 4; i++) {
        kept.push(await dead(60 + i * 2));
        purged.push(await sent(61 + i * 2));
      }
      const report = await purger({ batchSize: 1, days: { ...DEFAULT_RETENTION.days, dead: 0 } }).run();
      expect(report.purged).toEqual({ sent: 4, digested: 0, skipped: 0, suppressed: 0, dead: 0 });
      expect(await present(purged)).toEqual([]);
      expect(await present(kept)).toEqual(kept);
    });

    it("counts from a row's last due time: a dead letter an admin retried 10 days ago is young, whenever it was made", async () => {
      const id = await dead(200);
      expect(await store().retryDead([id], ago(10))).toBe(1);
      const c = await claim(id, ago(10));
      await store().settle([{ type: 'dead', id, claim: c.claim, at: ago(10), error: err }]);
      expect((await purger({ days: { ...DEFAULT_RETENTION.days, dead: 30 } }).run()).purged.dead).toBe(0);
      expect(await exists(id)).toBe(true);
      clock.set(new Date(T0.getTime() + 21 * DAY));
      try {
        expect((await purger({ days: { ...DEFAULT_RETENTION.days, dead: 30 } }).run()).purged.dead).toBe(1);
      } finally {
        clock.set(T0);
      }
    });

    it('keeps digested items while their digest mail is pending or sending, and purges them once it is settled', async () => {
      const { items, digest: mail } = await digest(40);
      expect((await store().get(items[0]!))?.status).toBe('digested');
      expect((await purger().run()).purged.digested).toBe(0);
      expect(await store().countPurgeable('digested', ago(30))).toBe(0);
      // On the wire.
      const c = await claim(mail.id, mail.createdAt);
      expect((await purger().run()).purged.digested).toBe(0);
      expect(await present(items)).toEqual(items);
      await store().settle([{ type: 'sent', id: mail.id, claim: c.claim, at: mail.createdAt, messageId: 'm@example.com' }]);
      const report = await purger().run();
      expect(report.purged).toMatchObject({ digested: 3, sent: 1 });
      expect(await present([...items, mail.id])).toEqual([]);
    });

    it('purges the items of a dead digest mail: the mail keeps its own copy of them', async () => {
      const { items, digest: mail } = await digest(40);
      const c = await claim(mail.id, mail.createdAt);
      await store().settle([{ type: 'dead', id: mail.id, claim: c.claim, at: mail.createdAt, error: err }]);
      expect((await purger().run()).purged).toMatchObject({ digested: 3, dead: 0 });
      expect(await present(items)).toEqual([]);
      const copy = (await store().get(mail.id))?.payload as { items: string[]; totalCount: number };
      expect([...copy.items].sort()).toEqual([...items].sort());
    });

    it('a dry run counts what it would purge and deletes nothing; the next run purges exactly that', async () => {
      const rows = [await sent(31), await sent(32), await dead(100), await recorded('skipped', 31)];
      await digest(40); // items kept: the digest mail is pending
      const dry = await purger().run({ dryRun: true });
      expect(dry).toMatchObject({ ran: true, dryRun: true, batches: 0, total: 4, purged: { sent: 2, dead: 1, skipped: 1, digested: 0 } });
      expect(await present(rows)).toEqual(rows);
      expect(await store().countPurgeable('sent', ago(30))).toBe(2);
      const real = await purger().run();
      expect(real.purged).toEqual(dry.purged);
    });

    it('forgets the dedupe key of a purged row: the same key makes a new notification', async () => {
      const first = await store().add(aNewNotification({ dedupeKey: 'invite:u1', createdAt: ago(40), status: 'skipped' }));
      expect((await store().add(aNewNotification({ dedupeKey: 'invite:u1' }))).created).toBe(false);
      await purger().run();
      const again = await store().add(aNewNotification({ dedupeKey: 'invite:u1' }));
      expect(again.created).toBe(true);
      expect(again.notification.id).not.toBe(first.notification.id);
    });

    it('stops between batches when told, and reports what it did', async () => {
      for (let i = 0; i < 4; i++) await sent(40 + i);
      const signal = { aborted: false };
      const report = await purger({ batchSize: 1 }, { batchPurged: () => void (signal.aborted = true) }).run({ signal });
      expect(report).toMatchObject({ interrupted: true, batches: 1, total: 1 });
      expect((await store().countByStatus()).sent).toBe(3);
    });

    it('a stop during a long pause between batches ends the purge without waiting the pause out', async () => {
      for (let i = 0; i < 3; i++) await sent(40 + i);
      const signal = { aborted: false };
      const started = Date.now();
      const stopping = purger({ batchSize: 1, pauseMs: 60_000 }, { batchPurged: () => void setTimeout(() => (signal.aborted = true), 50) });
      const report = await stopping.run({ signal });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(report).toMatchObject({ interrupted: true, total: 1 });
    });

    it('a listener that throws does not stop the purge: every row goes, the report is whole, the error is told', async () => {
      for (let i = 0; i < 3; i++) await sent(40 + i);
      const failures: unknown[] = [];
      const report = await purger(
        { batchSize: 1 },
        {
          batchPurged: () => {
            throw new Error('metric backend down');
          },
          purged: () => {
            throw new Error('audit log down');
          },
          listenerFailed: (error) => void failures.push((error as Error).message),
        },
      ).run();
      expect(report).toMatchObject({ ran: true, total: 3, interrupted: false });
      expect((await store().countByStatus()).sent).toBe(0);
      expect(failures).toEqual(['metric backend down', 'metric backend down', 'metric backend down', 'audit log down']);
    });

    describe('two nodes at once', () => {
      let other: RetentionNode;
      beforeEach(async () => {
        other = await fixture.otherNode();
      });
      afterEach(() => other.close());

      it('one purges and the other skips the run (the lock); every row is purged once', async () => {
        const rows = [];
        for (let i = 0; i < 10; i++) rows.push(await sent(40 + i));
        // This node holds the purge's lock (as a purge in progress does) until the gate opens.
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        let held!: () => void;
        const locked = new Promise<void>((resolve) => (held = resolve));
        const holding = fixture.lock.tryRun(PURGE_JOB, () => (held(), gate));
        await locked;
        const skipped = await purger({ batchSize: 2 }, undefined, other).run();
        expect(skipped).toMatchObject({ ran: false, total: 0 });
        expect(await present(rows)).toEqual(rows);
        open();
        expect(await holding).toEqual({ ran: true, result: undefined });
        const [a, b] = await Promise.all([purger({ batchSize: 2 }).run(), purger({ batchSize: 2 }, undefined, other).run()]);
        expect(a.purged.sent + b.purged.sent).toBe(10);
        expect(await present(rows)).toEqual([]);
      });

      it('without the lock (lost with its connection) the two runs still purge each row once', async () => {
        const rows = [];
        for (let i = 0; i < 30; i++) rows.push(await sent(40 + i));
        const [a, b] = await Promise.all([
          purger({ batchSize: 3 }, undefined, { notifications: store(), lock: NO_LOCK }).run(),
          purger({ batchSize: 3 }, undefined, { notifications: other.notifications, lock: NO_LOCK }).run(),
        ]);
        expect(a.ran && b.ran).toBe(true);
        expect(a.purged.sent + b.purged.sent).toBe(30);
        expect(await present(rows)).toEqual([]);
      });

      it('the lock is free again after a run, and after a run that failed', async () => {
        await sent(40);
        expect((await purger({}, undefined, other).run()).ran).toBe(true);
        await expect(fixture.lock.tryRun('purge-old-notifications', () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
        expect((await purger().run()).ran).toBe(true);
        expect(await other.lock.tryRun('purge-old-notifications', async () => 'done')).toEqual({ ran: true, result: 'done' });
      });
    });
  });
}
