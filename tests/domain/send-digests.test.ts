import { DIGEST_KIND, digestPeriodEnd, type DigestPayload } from '@mailroom/domain';
import { aCore } from '../support/core';
import { fullPayloads } from '../support/payloads';

const payload = fullPayloads['query-results-changed'];
type Core = ReturnType<typeof aCore>;

async function digestItem(core: Core, userId: string, queryName = 'Q'): Promise<string> {
  return core.notify.execute({
    kind: 'query-results-changed',
    recipient: { userId, address: `${userId}@example.com` },
    payload: { ...payload, queryName },
    delivery: 'digest',
  });
}

const digestsIn = (core: Core) => core.store.all().filter((n) => n.kind === DIGEST_KIND);

describe('sendDigests', () => {
  it('aligns periods on the interval', () => {
    expect(digestPeriodEnd(new Date('2026-01-05T09:59:59Z'), 60).toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(digestPeriodEnd(new Date('2026-01-05T10:00:00Z'), 60).toISOString()).toBe('2026-01-05T10:00:00.000Z');
    expect(digestPeriodEnd(new Date('2026-01-05T10:14:00Z'), 15).toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('sends nothing before the period of the items has ended', async () => {
    const core = aCore();
    core.clock.set('2026-01-05T09:10:00Z');
    await digestItem(core, 'u1');
    core.clock.set('2026-01-05T09:59:00Z');
    expect((await core.digests.run()).digests).toBe(0);
  });

  it('gives each recipient one digest per interval: the newest items in the order they happened, and a count of the earlier ones', async () => {
    const core = aCore({ digest: { intervalMinutes: 60, maxItems: 3 } });
    core.clock.set('2026-01-05T09:05:00Z');
    for (let i = 1; i <= 5; i++) {
      await digestItem(core, 'u1', `Q${i}`);
      core.clock.advanceMinutes(1);
    }
    await digestItem(core, 'u2', 'Other');
    core.clock.set('2026-01-05T10:00:30Z');
    const report = await core.digests.run();
    expect(report).toEqual({ periodEnd: new Date('2026-01-05T10:00:00Z'), digests: 2, failures: [] });
    const u1 = digestsIn(core).find((d) => d.recipient.userId === 'u1')!;
    const p = u1.payload as unknown as DigestPayload;
    expect(p.items.map((i) => (i.payload as { queryName: string }).queryName)).toEqual(['Q3', 'Q4', 'Q5']);
    expect(p.totalCount).toBe(5);
    expect(p.moreCount).toBe(2);
    expect(p.periodStart).toBe('2026-01-05T09:00:00.000Z');
    expect(p.periodEnd).toBe('2026-01-05T10:00:00.000Z');
    expect(u1.delivery).toBe('immediate');
    expect(u1.recipient.email.address).toBe('u1@example.com');
    expect(
      core.store
        .all()
        .filter((n) => n.kind !== DIGEST_KIND)
        .every((n) => n.status === 'digested'),
    ).toBe(true);

    // The digest goes out through the ordinary delivery path, listing the items and "and 2 more".
    await core.deliverDue.run(10);
    const mail = core.sender.to('u1@example.com')[0]!;
    expect(mail.subject).toBe('Digest for u1: 5 updates');
    expect(mail.text).toContain('and 2 more');
  });

  it('lists items created at the same moment in the order they were added, and the newest of them when it must cut', async () => {
    const core = aCore({ digest: { intervalMinutes: 60, maxItems: 4 } });
    core.clock.set('2026-01-05T09:05:00Z');
    for (const name of ['first', 'second', 'third', 'fourth', 'fifth']) await digestItem(core, 'u1', name);
    core.clock.set('2026-01-05T10:00:30Z');
    await core.digests.run();
    const p = digestsIn(core)[0]!.payload as unknown as DigestPayload;
    expect(p.items.map((i) => (i.payload as { queryName: string }).queryName)).toEqual(['second', 'third', 'fourth', 'fifth']);
    expect(p.moreCount).toBe(1);
  });

  it('makes no second digest in the same interval, even when run again or twice at once', async () => {
    const core = aCore();
    await digestItem(core, 'u1');
    core.clock.set('2026-01-05T10:00:00Z');
    const [a, b] = await Promise.all([core.digests.run(), core.digests.run()]);
    expect(a.digests + b.digests).toBe(1);
    await digestItem(core, 'u1'); // arrives in the new period
    core.clock.set('2026-01-05T10:40:00Z');
    expect((await core.digests.run()).digests).toBe(0);
    expect(digestsIn(core)).toHaveLength(1);
    core.clock.set('2026-01-05T11:00:05Z');
    expect((await core.digests.run()).digests).toBe(1);
    expect(digestsIn(core)).toHaveLength(2);
  });

  it('lets no item wait much longer than one interval', async () => {
    const core = aCore({ digest: { intervalMinutes: 30, maxItems: 10 } });
    core.clock.set('2026-01-05T09:29:59Z');
    const id = await digestItem(core, 'u1');
    core.clock.set('2026-01-05T09:30:00Z');
    await core.digests.run();
    expect((await core.store.get(id))!.status).toBe('digested');
    expect(core.digests.nextRunAt(new Date('2026-01-05T09:30:00Z')).toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('covers items that waited while no worker ran, with the period starting at the oldest', async () => {
    const core = aCore({ digest: { intervalMinutes: 60, maxItems: 10 } });
    core.clock.set('2026-01-05T06:15:00Z');
    await digestItem(core, 'u1');
    core.clock.set('2026-01-05T09:10:00Z');
    await core.digests.run();
    const p = digestsIn(core)[0]!.payload as unknown as DigestPayload;
    expect(p.periodStart).toBe('2026-01-05T06:15:00.000Z');
    expect(p.periodEnd).toBe('2026-01-05T09:00:00.000Z');
  });

  it('pages through many recipients', async () => {
    const core = aCore();
    for (let i = 0; i < 1203; i++) await digestItem(core, `u${String(i).padStart(4, '0')}`);
    core.clock.set('2026-01-05T10:00:00Z');
    expect((await core.digests.run()).digests).toBe(1203);
  });

  it('goes on with the other recipients when one chunk fails, and reports it', async () => {
    const core = aCore();
    for (let i = 0; i < 250; i++) await digestItem(core, `u${String(i).padStart(3, '0')}`);
    const createDigests = core.store.createDigests.bind(core.store);
    core.store.createDigests = async (requests) => {
      if (requests.some((r) => r.userId === 'u150')) throw new Error('deadlock detected');
      return createDigests(requests);
    };
    core.clock.set('2026-01-05T10:00:00Z');
    const report = await core.digests.run();
    expect(report.digests).toBe(150);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]!.userIds).toContain('u150');
    expect((report.failures[0]!.error as Error).message).toBe('deadlock detected');
  });

  it('refuses digest settings out of range', () => {
    expect(() => aCore({ digest: { intervalMinutes: 0, maxItems: 3 } })).toThrow(/intervalMinutes/);
    expect(() => aCore({ digest: { intervalMinutes: 60, maxItems: 0 } })).toThrow(/maxItems/);
  });
});
