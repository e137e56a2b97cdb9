import { randomUUID } from 'node:crypto';
import {
  recipient,
  type DigestBatch,
  type NewNotification,
  type Notification,
  type NotificationQuery,
  type Settlement,
} from '@mailroom/domain';
import { aNewNotification, aRecipient, aSubscription, minutesAfter, T0 } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

export type { StoreFixture } from './store-fixture';

const LEASE = 5 * 60_000;
const err = (code: string) => ({ code, message: `${code} happened`, responseCode: 451 });

/** The NotificationStore contract, run against every adapter of the port. */
export function notificationStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`NotificationStore contract: ${name}`, () => {
    const stores = useStores(open);
    const store = () => stores().notifications;

    async function claimOne(now = T0): Promise<Notification> {
      const [claimed] = await store().claimDue({ now, limit: 1, leaseMs: LEASE, owner: 'worker-a' });
      if (!claimed) throw new Error('nothing claimed');
      return claimed;
    }

    describe('add', () => {
      it('stores a pending notification and reads it back unchanged', async () => {
        const input = aNewNotification({
          recipient: aRecipient({ name: 'Zoë Ærø', locale: 'de-CH', timeZone: 'Europe/Zurich' }),
          topic: 'query:42',
          payload: { queryId: '42', nested: { list: [1, 'two', null] }, text: 'ünïcødé <b>' },
        });
        const { notification, created } = await store().add(input);
        expect(created).toBe(true);
        expect(notification).toMatchObject({ id: input.id, status: 'pending', attempts: 0, delivery: 'immediate' });
        const read = await store().get(input.id);
        expect(read).toBeDefined();
        expect(read!.recipient.userId).toBe(input.recipient.userId);
        expect(read!.recipient.email.address).toBe(input.recipient.email.address);
        expect(read!.recipient.email.name).toBe('Zoë Ærø');
        expect(read!.recipient.locale).toBe('de-CH');
        expect(read!.recipient.timeZone).toBe('Europe/Zurich');
        expect(read!.payload).toEqual(input.payload);
        expect(read!.topic).toBe('query:42');
        expect(read!.kind).toBe(input.kind);
        expect(read!.createdAt.getTime()).toBe(T0.getTime());
        expect(read!.nextAttemptAt.getTime()).toBe(T0.getTime());
        expect(read!.lastError).toBeUndefined();
        expect(read!.dedupeKey).toBeUndefined();
      });

      it('returns the first notification for a repeated dedupe key and adds nothing', async () => {
        const first = await store().add(aNewNotification({ dedupeKey: 'invite:u1' }));
        const second = await store().add(aNewNotification({ dedupeKey: 'invite:u1', payload: { other: true } }));
        expect(second.created).toBe(false);
        expect(second.notification.id).toBe(first.notification.id);
        expect(second.notification.payload).toEqual(first.notification.payload);
        const counts = await store().countByStatus();
        expect(counts.pending).toBe(1);
      });

      it('adds many at once, each committed with its own answer; one dedupe key added at once makes one row', async () => {
        const inputs = Array.from({ length: 30 }, (_, i) =>
          aNewNotification({ createdAt: minutesAfter(T0, i), ...(i % 10 === 0 ? { dedupeKey: 'same' } : {}) }),
        );
        const results = await Promise.all(inputs.map((n) => store().add(n)));
        const sameKey = results.filter((r, i) => inputs[i]!.dedupeKey === 'same');
        expect(sameKey.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(sameKey.map((r) => r.notification.id)).size).toBe(1);
        results.forEach((r, i) => {
          if (inputs[i]!.dedupeKey === undefined)
            expect(r).toMatchObject({ created: true, notification: { id: inputs[i]!.id, status: 'pending' } });
        });
        expect((await store().countByStatus()).pending).toBe(28);
        for (const r of results) expect((await store().get(r.notification.id))?.id).toBe(r.notification.id);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store().get(randomUUID())).toBeUndefined();
      });
    });

    describe('claimDue', () => {
      it('claims due immediate mails oldest due first, counts the attempt and leases them', async () => {
        const late = await store().add(aNewNotification({ createdAt: minutesAfter(T0, 2) }));
        const early = await store().add(aNewNotification({ createdAt: T0 }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 10) })); // not due yet
        await store().add(aNewNotification({ delivery: 'digest' })); // digest items are never claimed
        const now = minutesAfter(T0, 5);
        const claimed = await store().claimDue({ now, limit: 10, leaseMs: LEASE, owner: 'worker-a' });
        expect(claimed.map((n) => n.id)).toEqual([early.notification.id, late.notification.id]);
        for (const n of claimed) {
          expect(n.status).toBe('sending');
          expect(n.attempts).toBe(1);
          expect(n.leaseUntil?.getTime()).toBe(now.getTime() + LEASE);
        }
        expect((await store().get(early.notification.id))!.status).toBe('sending');
      });

      it('records the claim: a claim number that only grows, and who holds it', async () => {
        const { notification } = await store().add(aNewNotification());
        expect(notification).toMatchObject({ claim: 0 });
        expect(notification.claimedBy).toBeUndefined();
        const first = await claimOne(T0);
        expect(first).toMatchObject({ claim: 1, claimedBy: 'worker-a' });
        const [second] = await store().claimDue({ now: minutesAfter(T0, 6), limit: 1, leaseMs: LEASE, owner: 'worker-b' });
        expect(second).toMatchObject({ claim: 2, attempts: 2, claimedBy: 'worker-b' });
        expect(await store().get(notification.id)).toMatchObject({ claim: 2, claimedBy: 'worker-b' });
      });

      it('respects the limit', async () => {
        for (let i = 0; i < 5; i++) await store().add(aNewNotification({ createdAt: minutesAfter(T0, i) }));
        expect(await store().claimDue({ now: minutesAfter(T0, 10), limit: 3, leaseMs: LEASE, owner: 'worker-a' })).toHaveLength(3);
        expect(await store().claimDue({ now: minutesAfter(T0, 10), limit: 3, leaseMs: LEASE, owner: 'worker-a' })).toHaveLength(2);
      });

      it('does not claim a leased mail again until its lease runs out', async () => {
        const { notification } = await store().add(aNewNotification());
        await claimOne(T0);
        expect(await store().claimDue({ now: minutesAfter(T0, 4), limit: 10, leaseMs: LEASE, owner: 'worker-a' })).toEqual([]);
        const again = await store().claimDue({ now: minutesAfter(T0, 6), limit: 10, leaseMs: LEASE, owner: 'worker-a' });
        expect(again.map((n) => n.id)).toEqual([notification.id]);
        expect(again[0]!.attempts).toBe(2);
      });

      it('never hands the same mail to two concurrent claims', async () => {
        for (let i = 0; i < 40; i++) await store().add(aNewNotification());
        const batches = await Promise.all(
          [1, 2, 3, 4].map(() => store().claimDue({ now: T0, limit: 15, leaseMs: LEASE, owner: 'worker-a' })),
        );
        const ids = batches.flat().map((n) => n.id);
        expect(ids).toHaveLength(40);
        expect(new Set(ids).size).toBe(40);
      });
    });

    describe('settle', () => {
      it('marks sent, reschedules, dead-letters and releases in one batch', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await store().add(aNewNotification({ createdAt: minutesAfter(T0, -i) }))).notification.id);
        await store().claimDue({ now: T0, limit: 10, leaseMs: LEASE, owner: 'worker-a' });
        const later = minutesAfter(T0, 30);
        const settlements: Settlement[] = [
          { type: 'sent', id: ids[0]!, claim: 1, at: minutesAfter(T0, 1), messageId: `${ids[0]}@example.com` },
          { type: 'retry', id: ids[1]!, claim: 1, nextAttemptAt: later, error: err('SEND.TRANSIENT') },
          { type: 'dead', id: ids[2]!, claim: 1, at: minutesAfter(T0, 1), error: err('SEND.PERMANENT') },
          { type: 'release', id: ids[3]!, claim: 1, nextAttemptAt: later, error: err('SEND.AUTHENTICATION') },
        ];
        await store().settle(settlements);
        const [sent, retry, dead, released] = await Promise.all(ids.map((id) => store().get(id)));
        expect(sent).toMatchObject({ status: 'sent', messageId: `${ids[0]}@example.com`, attempts: 1 });
        expect(sent!.sentAt?.getTime()).toBe(minutesAfter(T0, 1).getTime());
        expect(sent!.leaseUntil).toBeUndefined();
        expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastError: err('SEND.TRANSIENT') });
        expect(retry!.nextAttemptAt.getTime()).toBe(later.getTime());
        expect(dead).toMatchObject({ status: 'dead', lastError: err('SEND.PERMANENT') });
        expect(released).toMatchObject({ status: 'pending', attempts: 0, lastError: err('SEND.AUTHENTICATION') });
        expect(released!.nextAttemptAt.getTime()).toBe(later.getTime());
        expect(await store().claimDue({ now: minutesAfter(T0, 29), limit: 10, leaseMs: LEASE, owner: 'worker-a' })).toEqual([]);
        expect(await store().claimDue({ now: later, limit: 10, leaseMs: LEASE, owner: 'worker-a' })).toHaveLength(2);
      });

      it('keeps a partial-delivery note on a sent mail', async () => {
        const { notification } = await store().add(aNewNotification());
        await claimOne();
        const note = { code: 'SEND.PARTIAL', message: 'The server refused x@example.com' };
        await store().settle([{ type: 'sent', id: notification.id, claim: 1, at: T0, messageId: 'm@example.com', error: note }]);
        expect((await store().get(notification.id))!.lastError).toEqual(note);
      });

      it('ignores mails that are no longer being sent', async () => {
        const { notification } = await store().add(aNewNotification());
        await claimOne();
        await store().settle([{ type: 'sent', id: notification.id, claim: 1, at: T0, messageId: 'first@example.com' }]);
        await store().settle([{ type: 'retry', id: notification.id, claim: 1, nextAttemptAt: T0, error: err('SEND.TRANSIENT') }]);
        await store().settle([{ type: 'dead', id: randomUUID(), claim: 1, at: T0, error: err('SEND.PERMANENT') }]);
        expect(await store().get(notification.id)).toMatchObject({ status: 'sent', messageId: 'first@example.com' });
      });

      it('ignores a worker that settles after its lease ran out and the mail was claimed again', async () => {
        const { notification } = await store().add(aNewNotification());
        const first = await claimOne(T0);
        const second = await claimOne(minutesAfter(T0, 6)); // the first worker's lease ran out
        expect(second.attempts).toBe(2);
        await store().settle([
          { type: 'retry', id: notification.id, claim: first.claim, nextAttemptAt: minutesAfter(T0, 60), error: err('SEND.TRANSIENT') },
        ]);
        expect(await store().get(notification.id)).toMatchObject({ status: 'sending', attempts: 2 });
        await store().settle([
          { type: 'sent', id: notification.id, claim: second.claim, at: minutesAfter(T0, 7), messageId: 'second@example.com' },
        ]);
        expect(await store().get(notification.id)).toMatchObject({ status: 'sent', messageId: 'second@example.com' });
      });

      it("ignores a worker stalled since the mail's first life after an admin retried it: the claim number never resets", async () => {
        const { notification } = await store().add(aNewNotification());
        const stalled = await claimOne(T0);
        await store().settle([{ type: 'dead', id: notification.id, claim: stalled.claim, at: T0, error: err('SEND.PERMANENT') }]);
        expect(await store().retryDead([notification.id], minutesAfter(T0, 1))).toBe(1);
        const fresh = await claimOne(minutesAfter(T0, 1));
        expect(fresh).toMatchObject({ attempts: 1, claim: 2 });
        // The stalled worker's first-life outcome arrives now: same attempt number, older claim.
        await store().settle([{ type: 'sent', id: notification.id, claim: stalled.claim, at: T0, messageId: 'stale@example.com' }]);
        expect(await store().get(notification.id)).toMatchObject({ status: 'sending', claim: 2 });
      });

      it('accepts an empty batch', async () => {
        await expect(store().settle([])).resolves.toBeUndefined();
      });
    });

    describe('extendLeases', () => {
      it('moves the lease of claims still held and names them; a claim taken over or settled is not extended', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push((await store().add(aNewNotification({ createdAt: minutesAfter(T0, -i) }))).notification.id);
        const claimed = await store().claimDue({ now: T0, limit: 3, leaseMs: LEASE, owner: 'worker-a' });
        const [held, takenOver, settled] = ids.map((id) => claimed.find((n) => n.id === id)!);
        await store().settle([{ type: 'sent', id: settled!.id, claim: settled!.claim, at: T0, messageId: 'done@example.com' }]);
        // The lease of `takenOver` ran out and another worker claimed it (a newer claim).
        const stale = { id: takenOver!.id, claim: takenOver!.claim - 1 };
        const until = minutesAfter(T0, 20);
        const kept = await store().extendLeases(
          [{ id: held!.id, claim: held!.claim }, stale, { id: settled!.id, claim: settled!.claim }, { id: randomUUID(), claim: 1 }],
          until,
        );
        expect([...kept]).toEqual([held!.id]);
        expect((await store().get(held!.id))!.leaseUntil?.getTime()).toBe(until.getTime());
        expect((await store().get(takenOver!.id))!.leaseUntil?.getTime()).toBe(T0.getTime() + LEASE);
        // An extended claim is not due again when its first lease would have run out.
        expect(
          (await store().claimDue({ now: minutesAfter(T0, 10), limit: 10, leaseMs: LEASE, owner: 'worker-b' })).map((n) => n.id),
        ).toEqual([takenOver!.id]);
        expect(await store().extendLeases([], until)).toEqual(new Set());
      });
    });

    describe('add under the recipient rules (notify)', () => {
      // user → [their choices for the kind: kind-wide, on query:42], and whether their address is suppressed.
      const recipients: Record<
        string,
        { wide?: 'immediate' | 'digest' | 'off'; onTopic?: 'immediate' | 'digest' | 'off'; dead?: boolean }
      > = {
        none: {},
        'wide-digest': { wide: 'digest' },
        'topic-immediate': { wide: 'digest', onTopic: 'immediate' },
        'wide-off': { wide: 'off' },
        'topic-off-wide-digest': { wide: 'digest', onTopic: 'off' },
        dead: { dead: true },
        'dead-and-off': { wide: 'off', dead: true },
        'dead-and-digest': { wide: 'digest', dead: true },
      };

      async function choose(kind: string): Promise<void> {
        for (const [userId, r] of Object.entries(recipients)) {
          if (r.wide) await stores().preferences.set({ userId, kind, choice: r.wide, updatedAt: T0 });
          if (r.onTopic) await stores().preferences.set({ userId, kind, topic: 'query:42', choice: r.onTopic, updatedAt: T0 });
          if (r.dead) await stores().suppressions.add({ address: `${userId}@Example.com`, reason: 'x', suppressedAt: T0 });
        }
      }

      const notificationsFor = (kind: string, rules: { mandatory: boolean; suppress: boolean } | undefined, topic?: string) =>
        Object.keys(recipients).map((userId) =>
          aNewNotification({
            kind,
            recipient: aRecipient({ userId, address: `${userId}@example.COM` }),
            ...(topic ? { topic } : {}),
            ...(rules ? { rules } : {}),
          }),
        );

      const outcome = (added: readonly { notification: Notification }[]) =>
        Object.fromEntries(added.map(({ notification: n }) => [n.recipient.userId, `${n.delivery} ${n.status}`]));

      it('decides delivery and status as it adds, one at a time or many at once, and stores what it returns', async () => {
        await choose('query-results-changed');
        const expected = {
          none: 'immediate pending',
          'wide-digest': 'digest pending',
          'topic-immediate': 'immediate pending',
          'wide-off': 'immediate skipped',
          'topic-off-wide-digest': 'immediate skipped',
          dead: 'immediate suppressed',
          'dead-and-off': 'immediate skipped',
          'dead-and-digest': 'digest suppressed',
        };
        const rules = { mandatory: false, suppress: true };
        const alone = [];
        for (const n of notificationsFor('query-results-changed', rules, 'query:42')) alone.push(await store().add(n));
        expect(outcome(alone)).toEqual(expected);
        const together = await Promise.all(notificationsFor('query-results-changed', rules, 'query:42').map((n) => store().add(n)));
        expect(outcome(together)).toEqual(expected);
        for (const { notification } of [...alone, ...together]) {
          expect(await store().get(notification.id)).toMatchObject({ delivery: notification.delivery, status: notification.status });
          expect(notification).not.toHaveProperty('rules');
        }
      });

      it('takes the kind-wide choice without a topic, keeps a mandatory kind on, and leaves addresses alone when not suppressing', async () => {
        await choose('user-invite');
        const together = await Promise.all(
          notificationsFor('user-invite', { mandatory: true, suppress: false }).map((n) => store().add(n)),
        );
        expect(outcome(together)).toEqual({
          none: 'immediate pending',
          'wide-digest': 'digest pending',
          'topic-immediate': 'digest pending',
          'wide-off': 'immediate pending',
          'topic-off-wide-digest': 'digest pending',
          dead: 'immediate pending',
          'dead-and-off': 'immediate pending',
          'dead-and-digest': 'digest pending',
        });
      });

      it('finds a listed address with non-ASCII letters in any case (folded as the list folds it)', async () => {
        await stores().suppressions.add({ address: 'ÄDA.ÖSTERGÅRD@example.com', reason: 'x', suppressedAt: T0 });
        const rules = { mandatory: false, suppress: true };
        const added = await Promise.all(
          ['äda.östergård@EXAMPLE.com', 'Äda.Östergård@example.com'].map((address) =>
            store().add(aNewNotification({ recipient: aRecipient({ userId: address, address }), rules })),
          ),
        );
        expect(added.map(({ notification }) => notification.status)).toEqual(['suppressed', 'suppressed']);
      });

      it('adds a notification without rules as it is, whatever the recipient chose', async () => {
        await choose('query-results-changed');
        const together = await Promise.all(notificationsFor('query-results-changed', undefined, 'query:42').map((n) => store().add(n)));
        expect(new Set(Object.values(outcome(together)))).toEqual(new Set(['immediate pending']));
      });
    });

    describe('addForSubscribers (fan-out)', () => {
      it('adds one notification per subscriber with their preference and the topic', async () => {
        const a = aSubscription({ subscriber: aRecipient({ userId: 'a' }), delivery: 'immediate' });
        const b = aSubscription({ subscriber: aRecipient({ userId: 'b', locale: 'fr', timeZone: 'Europe/Paris' }), delivery: 'digest' });
        const other = aSubscription({ subscriber: aRecipient({ userId: 'c' }), topic: 'query:7' });
        for (const s of [a, b, other]) await stores().subscriptions.subscribe(s);
        const added = await store().addForSubscribers({
          topic: 'query:42',
          kind: 'query-results-changed',
          payload: { queryId: '42' },
          createdAt: T0,
        });
        expect(added).toBe(2);
        const rows = await store().find({ limit: 10 });
        expect(rows.map((n) => [n.recipient.userId, n.delivery, n.topic]).sort()).toEqual([
          ['a', 'immediate', 'query:42'],
          ['b', 'digest', 'query:42'],
        ]);
        const bRow = rows.find((n) => n.recipient.userId === 'b')!;
        expect(bRow.recipient.email.address).toBe(b.subscriber.email.address);
        expect(bRow.recipient.timeZone).toBe('Europe/Paris');
        expect(bRow.payload).toEqual({ queryId: '42' });
        expect(bRow.status).toBe('pending');
        expect(new Set(rows.map((n) => n.id)).size).toBe(2);
      });

      it('skips users who unsubscribed, and is idempotent per event key', async () => {
        await stores().subscriptions.subscribe(aSubscription({ subscriber: aRecipient({ userId: 'a' }) }));
        await stores().subscriptions.subscribe(aSubscription({ subscriber: aRecipient({ userId: 'b' }) }));
        await stores().subscriptions.unsubscribe('b', 'query:42');
        const fanOut = { topic: 'query:42', kind: 'query-results-changed', payload: {}, createdAt: T0, eventKey: 'run-7' };
        expect(await store().addForSubscribers(fanOut)).toBe(1);
        expect(await store().addForSubscribers(fanOut)).toBe(0);
        const rows = await store().find({ limit: 10 });
        expect(rows.map((n) => [n.recipient.userId, n.dedupeKey])).toEqual([['a', 'run-7:a']]);
      });

      it("honours each subscriber's choice for the kind: on the topic first, then kind-wide; off skips unless mandatory", async () => {
        const users = ['none', 'wide-digest', 'topic-immediate', 'wide-off', 'topic-off-wide-digest', 'other-topic-off'];
        for (const userId of users) {
          await stores().subscriptions.subscribe(aSubscription({ subscriber: aRecipient({ userId }), delivery: 'immediate' }));
        }
        const choose = (userId: string, choice: 'immediate' | 'digest' | 'off', topic?: string) =>
          stores().preferences.set({ userId, kind: 'query-results-changed', choice, updatedAt: T0, ...(topic ? { topic } : {}) });
        await choose('wide-digest', 'digest');
        await choose('topic-immediate', 'digest');
        await choose('topic-immediate', 'immediate', 'query:42');
        await choose('wide-off', 'off');
        await choose('topic-off-wide-digest', 'digest');
        await choose('topic-off-wide-digest', 'off', 'query:42');
        await choose('other-topic-off', 'off', 'query:7');
        // Another kind's choice does not count.
        await stores().preferences.set({ userId: 'none', kind: 'import-failed', choice: 'off', updatedAt: T0 });
        const outcome = async (mandatory: boolean) => {
          const rows = await store().find({ limit: 50 });
          return Object.fromEntries(
            rows
              .filter((n) => n.kind === (mandatory ? 'user-invite' : 'query-results-changed'))
              .map((n) => [n.recipient.userId, `${n.delivery} ${n.status}`]),
          );
        };
        expect(await store().addForSubscribers({ topic: 'query:42', kind: 'query-results-changed', payload: {}, createdAt: T0 })).toBe(6);
        expect(await outcome(false)).toEqual({
          none: 'immediate pending',
          'wide-digest': 'digest pending',
          'topic-immediate': 'immediate pending',
          'wide-off': 'immediate skipped',
          'topic-off-wide-digest': 'immediate skipped',
          'other-topic-off': 'immediate pending',
        });
        // The same choices saved for a mandatory kind: off does not hold, immediate and digest do.
        for (const p of await Promise.all(users.map((u) => stores().preferences.of(u)))) {
          for (const c of p) if (c.kind === 'query-results-changed') await stores().preferences.set({ ...c, kind: 'user-invite' });
        }
        await store().addForSubscribers({ topic: 'query:42', kind: 'user-invite', payload: {}, createdAt: T0, mandatory: true });
        expect(await outcome(true)).toEqual({
          none: 'immediate pending',
          'wide-digest': 'digest pending',
          'topic-immediate': 'immediate pending',
          'wide-off': 'immediate pending',
          'topic-off-wide-digest': 'immediate pending',
          'other-topic-off': 'immediate pending',
        });
      });

      it('records subscribers on the suppression list as suppressed when asked to (any case), after their own "off"', async () => {
        for (const userId of ['alive', 'dead', 'dead-and-off']) {
          await stores().subscriptions.subscribe(aSubscription({ subscriber: aRecipient({ userId, address: `${userId}@Example.com` }) }));
        }
        await stores().suppressions.add({ address: 'DEAD@example.com', reason: 'x', suppressedAt: T0 });
        await stores().suppressions.add({ address: 'dead-and-off@example.com', reason: 'x', suppressedAt: T0 });
        await stores().preferences.set({ userId: 'dead-and-off', kind: 'import-failed', choice: 'off', updatedAt: T0 });
        const statuses = async (kind: string) =>
          Object.fromEntries((await store().find({ kind, limit: 10 })).map((n) => [n.recipient.userId, n.status]));
        await store().addForSubscribers({ topic: 'query:42', kind: 'import-failed', payload: {}, createdAt: T0, suppress: true });
        expect(await statuses('import-failed')).toEqual({ alive: 'pending', dead: 'suppressed', 'dead-and-off': 'skipped' });
        await store().addForSubscribers({ topic: 'query:42', kind: 'query-results-changed', payload: {}, createdAt: T0 });
        expect(await statuses('query-results-changed')).toEqual({ alive: 'pending', dead: 'pending', 'dead-and-off': 'pending' });
      });

      it('adds nothing for a topic without subscribers', async () => {
        expect(await store().addForSubscribers({ topic: 'query:404', kind: 'query-results-changed', payload: {}, createdAt: T0 })).toBe(0);
      });
    });

    describe('digests', () => {
      async function digestItem(userId: string, minutes: number, extra: Partial<NewNotification> = {}): Promise<Notification> {
        const r = await store().add(
          aNewNotification({ recipient: aRecipient({ userId }), delivery: 'digest', createdAt: minutesAfter(T0, minutes), ...extra }),
        );
        return r.notification;
      }
      const buildFor =
        (userId: string, seen: DigestBatch[]) =>
        (batch: DigestBatch): NewNotification => {
          seen.push(batch);
          return aNewNotification({
            recipient: batch.listed[0]!.recipient,
            kind: 'digest',
            payload: { count: batch.totalCount },
            createdAt: minutesAfter(T0, 60),
            dedupeKey: `digest:${userId}`,
          });
        };

      it('lists recipients with pending digest items before a moment, ordered and paged', async () => {
        await digestItem('u3', 1);
        await digestItem('u1', 2);
        await digestItem('u2', 3);
        await digestItem('u2', 4);
        await digestItem('u4', 90); // after the period
        await store().add(aNewNotification({ recipient: aRecipient({ userId: 'u0' }) })); // immediate
        const end = minutesAfter(T0, 60);
        expect(await store().digestRecipients(end, 10)).toEqual(['u1', 'u2', 'u3']);
        expect(await store().digestRecipients(end, 2)).toEqual(['u1', 'u2']);
        expect(await store().digestRecipients(end, 2, 'u2')).toEqual(['u3']);
      });

      it('creates one digest from the newest items, marks every covered item digested', async () => {
        const items = [];
        for (let i = 0; i < 5; i++) items.push(await digestItem('u1', i));
        const after = await digestItem('u1', 61); // created after the period: stays pending
        const other = await digestItem('u2', 3);
        const seen: DigestBatch[] = [];
        const [digest, ...more] = await store().createDigests([
          { userId: 'u1', periodEnd: minutesAfter(T0, 60), maxItems: 3, dedupeKey: 'digest:u1', build: buildFor('u1', seen) },
        ]);
        expect(more).toEqual([]);
        expect(digest).toBeDefined();
        expect(digest!.kind).toBe('digest');
        expect(digest!.status).toBe('pending');
        expect(seen).toHaveLength(1);
        expect(seen[0]!.listed.map((n) => n.id)).toEqual([items[4]!.id, items[3]!.id, items[2]!.id]);
        expect(seen[0]!.totalCount).toBe(5);
        expect(seen[0]!.oldestCreatedAt.getTime()).toBe(T0.getTime());
        for (const item of items) expect(await store().get(item.id)).toMatchObject({ status: 'digested', digestId: digest!.id });
        expect((await store().get(after.id))!.status).toBe('pending');
        expect((await store().get(other.id))!.status).toBe('pending');
        expect((await store().get(digest!.id))!.dedupeKey).toBe('digest:u1');
        expect(await store().digestRecipients(minutesAfter(T0, 60), 10)).toEqual(['u2']);
      });

      it('groups the digest items of a recipient without a user id under its address, whatever its case', async () => {
        const invitee = (address: string) => recipient({ address }, 'recipient', { userId: 'optional' });
        for (const [address, minutes] of [
          ['Ada@Example.com', 1],
          ['ada@example.com', 2],
        ] as const) {
          await store().add(aNewNotification({ recipient: invitee(address), delivery: 'digest', createdAt: minutesAfter(T0, minutes) }));
        }
        await digestItem('u1', 3);
        const end = minutesAfter(T0, 60);
        expect(await store().digestRecipients(end, 10)).toEqual(['address:ada@example.com', 'u1']);
        const seen: DigestBatch[] = [];
        const userId = 'address:ada@example.com';
        await store().createDigests([
          { userId, periodEnd: end, maxItems: 10, dedupeKey: `digest:${userId}`, build: buildFor(userId, seen) },
        ]);
        expect(seen[0]!.totalCount).toBe(2);
        expect(await store().find({ userId, status: 'digested', limit: 10 })).toHaveLength(2);
        expect(await store().digestRecipients(end, 10)).toEqual(['u1']);
      });

      it('breaks a tie of equal creation times by the order the items were added: the last added counts as the newest', async () => {
        // One moment for all (a host's loop, one transaction, a fake clock); two recipients interleaved.
        const added: Record<string, string[]> = { u1: [], u2: [] };
        for (let i = 0; i < 8; i++) for (const user of ['u1', 'u2']) added[user]!.push((await digestItem(user, 5)).id);
        const seen: DigestBatch[] = [];
        const request = (userId: string) => ({
          userId,
          periodEnd: minutesAfter(T0, 60),
          maxItems: 5,
          dedupeKey: `digest:${userId}`,
          build: buildFor(userId, seen),
        });
        expect(await store().createDigests([request('u1'), request('u2')])).toHaveLength(2);
        const listed = (userId: string) => seen.find((b) => b.listed[0]!.recipient.userId === userId)!.listed.map((n) => n.id);
        expect(listed('u1')).toEqual(added['u1']!.slice(3).reverse());
        expect(listed('u2')).toEqual(added['u2']!.slice(3).reverse());
      });

      it('creates nothing for a second request with the same key, or without items', async () => {
        await digestItem('u1', 1);
        const seen: DigestBatch[] = [];
        const request = { userId: 'u1', periodEnd: minutesAfter(T0, 60), maxItems: 3, dedupeKey: 'digest:u1', build: buildFor('u1', seen) };
        expect(await store().createDigests([request])).toHaveLength(1);
        const late = await digestItem('u1', 2);
        expect(await store().createDigests([request])).toEqual([]);
        expect((await store().get(late.id))!.status).toBe('pending');
        expect(await store().createDigests([{ ...request, userId: 'nobody', dedupeKey: 'digest:nobody' }])).toEqual([]);
        expect(await store().find({ kind: 'digest', limit: 10 })).toHaveLength(1);
      });

      it('creates the digests of many recipients at once, each recipient on its own, once', async () => {
        for (let i = 0; i < 5; i++) await digestItem('u1', i);
        await digestItem('u2', 1);
        await digestItem('u3', 70); // after the period: no digest
        const late = await digestItem('u1', 61);
        const request = (userId: string, seen: DigestBatch[]) => ({
          userId,
          periodEnd: minutesAfter(T0, 60),
          maxItems: 3,
          dedupeKey: `digest:${userId}`,
          build: buildFor(userId, seen),
        });
        const seen: DigestBatch[] = [];
        const created = await store().createDigests(['u1', 'u2', 'u3', 'nobody'].map((u) => request(u, seen)));
        expect(created.map((d) => d.recipient.userId).sort()).toEqual(['u1', 'u2']);
        const u1 = seen.find((b) => b.listed[0]!.recipient.userId === 'u1')!;
        expect(u1.totalCount).toBe(5);
        expect(u1.listed).toHaveLength(3);
        expect(u1.listed.map((n) => n.createdAt.getTime())).toEqual([4, 3, 2].map((m) => minutesAfter(T0, m).getTime()));
        const digestOfU1 = created.find((d) => d.recipient.userId === 'u1')!;
        expect((await store().find({ userId: 'u1', status: 'digested', limit: 10 })).every((n) => n.digestId === digestOfU1.id)).toBe(true);
        expect(await store().find({ userId: 'u1', status: 'digested', limit: 10 })).toHaveLength(5);
        expect((await store().get(late.id))!.status).toBe('pending');
        expect(await store().createDigests(['u1', 'u2'].map((u) => request(u, [])))).toEqual([]);
        expect(await store().createDigests([])).toEqual([]);
      });

      it('makes one digest per recipient when two runs race over the same recipients', async () => {
        for (const u of ['a', 'b', 'c', 'd']) for (let i = 0; i < 3; i++) await digestItem(u, i);
        const requests = () =>
          ['a', 'b', 'c', 'd'].map((userId) => ({
            userId,
            periodEnd: minutesAfter(T0, 60),
            maxItems: 20,
            dedupeKey: `digest:${userId}`,
            build: buildFor(userId, []),
          }));
        const [x, y] = await Promise.all([store().createDigests(requests()), store().createDigests(requests())]);
        expect([...x, ...y].map((d) => d.recipient.userId).sort()).toEqual(['a', 'b', 'c', 'd']);
        expect(await store().find({ kind: 'digest', limit: 10 })).toHaveLength(4);
        expect((await store().countByStatus()).digested).toBe(12);
      });

      it('makes one digest when two runs race for the same recipient', async () => {
        for (let i = 0; i < 10; i++) await digestItem('u1', i);
        const request = () => ({
          userId: 'u1',
          periodEnd: minutesAfter(T0, 60),
          maxItems: 20,
          dedupeKey: 'digest:u1',
          build: buildFor('u1', []),
        });
        const results = await Promise.all([store().createDigests([request()]), store().createDigests([request()])]);
        expect(results.flat()).toHaveLength(1);
        expect(await store().find({ kind: 'digest', limit: 10 })).toHaveLength(1);
      });
    });

    describe('admin', () => {
      async function deadLetter(): Promise<string> {
        const { notification } = await store().add(aNewNotification());
        await claimOne();
        await store().settle([{ type: 'dead', id: notification.id, claim: 1, at: T0, error: err('SEND.PERMANENT') }]);
        return notification.id;
      }

      it('retries chosen dead letters with fresh attempts, due now', async () => {
        const a = await deadLetter();
        const b = await deadLetter();
        const now = minutesAfter(T0, 100);
        expect(await store().retryDead([a], now)).toBe(1);
        const retried = await store().get(a);
        expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
        expect(retried!.nextAttemptAt.getTime()).toBe(now.getTime());
        expect((await store().get(b))!.status).toBe('dead');
        expect(await store().retryDead([a, b], now)).toBe(1);
        expect(await store().retryDead([a, b], now)).toBe(0);
      });

      it('retries every dead letter in batches that walk the ids once', async () => {
        const dead = [];
        for (let i = 0; i < 5; i++) dead.push(await deadLetter());
        const now = minutesAfter(T0, 100);
        const first = await store().retryDeadBatch(undefined, 2, now);
        expect(first.count).toBe(2);
        const sorted = [...dead].sort();
        expect(first.last).toBe(sorted[1]);
        for (const id of sorted.slice(0, 2)) expect(await store().get(id)).toMatchObject({ status: 'pending', attempts: 0 });
        // A retried mail that dies again is behind the cursor: this pass does not bring it back.
        const again = await claimOne(now);
        expect(sorted.slice(0, 2)).toContain(again.id);
        await store().settle([{ type: 'dead', id: again.id, claim: again.claim, at: now, error: err('SEND.PERMANENT') }]);
        const second = await store().retryDeadBatch(first.last, 2, now);
        expect(second).toEqual({ count: 2, last: sorted[3] });
        expect(await store().retryDeadBatch(second.last, 2, now)).toEqual({ count: 1, last: sorted[4] });
        expect(await store().retryDeadBatch(sorted[4], 2, now)).toEqual({ count: 0 });
        expect((await store().countByStatus()).dead).toBe(1);
      });

      it('counts by status, every status present', async () => {
        await deadLetter();
        await store().add(aNewNotification());
        await store().add(aNewNotification({ delivery: 'digest' }));
        await store().add(aNewNotification({ status: 'skipped' }));
        expect(await store().countByStatus()).toEqual({ pending: 2, sending: 0, sent: 0, dead: 1, digested: 0, skipped: 1, suppressed: 0 });
      });

      it('keeps a skipped or suppressed notification without ever claiming it or listing it in a digest', async () => {
        const skipped = await store().add(aNewNotification({ status: 'skipped' }));
        await store().add(aNewNotification({ status: 'suppressed', delivery: 'digest' }));
        expect(skipped.notification.status).toBe('skipped');
        expect(await store().claimDue({ now: minutesAfter(T0, 60), limit: 10, leaseMs: LEASE, owner: 'worker-a' })).toEqual([]);
        expect(await store().digestRecipients(minutesAfter(T0, 60), 10)).toEqual([]);
        expect(await store().nextDueAt()).toBeUndefined();
        expect(await store().oldestPendingAt()).toBeUndefined();
        expect((await store().find({ status: 'suppressed', limit: 10 })).map((n) => n.delivery)).toEqual(['digest']);
      });

      it('finds by status, user, kind and delivery, newest first, paged', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++)
          ids.push(
            (await store().add(aNewNotification({ recipient: aRecipient({ userId: 'u1' }), createdAt: minutesAfter(T0, i) }))).notification
              .id,
          );
        await store().add(aNewNotification({ recipient: aRecipient({ userId: 'u2' }), kind: 'user-invite' }));
        const page1 = await store().find({ userId: 'u1', limit: 2 });
        expect(page1.map((n) => n.id)).toEqual([ids[4], ids[3]]);
        const page2 = await store().find({ userId: 'u1', limit: 2, afterId: ids[3]! });
        expect(page2.map((n) => n.id)).toEqual([ids[2], ids[1]]);
        expect((await store().find({ kind: 'user-invite', limit: 10 })).map((n) => n.recipient.userId)).toEqual(['u2']);
        expect(await store().find({ status: 'dead', limit: 10 })).toEqual([]);
        expect(await store().find({ delivery: 'digest', limit: 10 })).toEqual([]);
      });

      it('finds by recipient address, whatever its case, and by the failure reason: a code or its family', async () => {
        async function deadWith(address: string, code: string): Promise<string> {
          const { notification } = await store().add(aNewNotification({ recipient: aRecipient({ address }) }));
          const claimed = await claimOne();
          await store().settle([{ type: 'dead', id: notification.id, claim: claimed.claim, at: T0, error: err(code) }]);
          return notification.id;
        }
        const refused = await deadWith('ada@example.com', 'SEND.PERMANENT');
        const tls = await deadWith('bob@example.com', 'SEND.CONFIGURATION.TLS');
        const smtpAuth = await deadWith('Ada@Example.com', 'SEND.CONFIGURATION.SMTP_AUTH_DISABLED');
        await store().add(aNewNotification({ recipient: aRecipient({ address: 'ada@example.com' }) }));
        const ids = async (query: Omit<NotificationQuery, 'limit'>) =>
          (await store().find({ ...query, limit: 10 })).map((n) => n.id).sort();
        expect(await ids({ status: 'dead', address: 'ADA@example.com' })).toEqual([refused, smtpAuth].sort());
        expect(await ids({ address: 'ada@example.com' })).toHaveLength(3);
        expect(await ids({ errorCode: 'SEND.PERMANENT' })).toEqual([refused]);
        expect(await ids({ errorCode: 'SEND.CONFIGURATION' })).toEqual([tls, smtpAuth].sort());
        expect(await ids({ errorCode: 'SEND.CONFIGURATION.TLS' })).toEqual([tls]);
        // A family is whole dotted parts, and `_` is a character, not a wildcard.
        expect(await ids({ errorCode: 'SEND.CONFIG' })).toEqual([]);
        expect(await ids({ errorCode: 'SEND.CONFIGURATION.SMTPXAUTH_DISABLED' })).toEqual([]);
        expect(await ids({ errorCode: 'SEND.CONFIGURATION', address: 'bob@example.com' })).toEqual([tls]);
      });

      it('tells when the next pending immediate mail is due', async () => {
        expect(await store().nextDueAt()).toBeUndefined();
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 9) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 3) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 1), delivery: 'digest' }));
        expect((await store().nextDueAt())!.getTime()).toBe(minutesAfter(T0, 3).getTime());
      });

      it('tells when the oldest immediate mail not sent yet was created, in flight or pending, digest items left out', async () => {
        expect(await store().oldestPendingAt()).toBeUndefined();
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 1), delivery: 'digest' }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 5) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 9) }));
        const [claimed] = await store().claimDue({ now: minutesAfter(T0, 10), limit: 1, leaseMs: 60_000, owner: 'w1' });
        expect(claimed!.createdAt.getTime()).toBe(minutesAfter(T0, 5).getTime());
        expect((await store().oldestPendingAt())!.getTime()).toBe(minutesAfter(T0, 5).getTime());
        await store().settle([{ type: 'sent', id: claimed!.id, claim: claimed!.claim, at: minutesAfter(T0, 10), messageId: 'm1' }]);
        expect((await store().oldestPendingAt())!.getTime()).toBe(minutesAfter(T0, 9).getTime());
      });

      it('reads the backlog at once: pending and in-flight immediate mails, dead letters, waiting digest items, the oldest unsent', async () => {
        expect(await store().backlog()).toEqual({ pending: 0, sending: 0, dead: 0, digestItems: 0 });
        await deadLetter();
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 5) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 7) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 9) }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 1), delivery: 'digest' }));
        await store().add(aNewNotification({ createdAt: minutesAfter(T0, 2), delivery: 'digest' }));
        await store().add(aNewNotification({ status: 'skipped' }));
        await store().add(aNewNotification({ status: 'suppressed' }));
        const [first, second] = await store().claimDue({ now: minutesAfter(T0, 10), limit: 2, leaseMs: LEASE, owner: 'w1' });
        await store().settle([{ type: 'sent', id: first!.id, claim: first!.claim, at: minutesAfter(T0, 10), messageId: 'm1' }]);
        const backlog = await store().backlog();
        expect(backlog).toEqual({ pending: 1, sending: 1, dead: 1, digestItems: 2, oldestPendingAt: expect.any(Date) });
        expect(backlog.oldestPendingAt!.getTime()).toBe(second!.createdAt.getTime());
      });
    });
  });
}
