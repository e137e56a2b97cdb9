import { minutesAfter, T0 } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

/** The SuppressionList contract, run against every adapter of the port. */
export function suppressionListContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`SuppressionList contract: ${name}`, () => {
    const stores = useStores(open);
    const list = () => stores().suppressions;
    const entry = (address: string, minutes = 0) => ({
      address,
      reason: 'SEND.PERMANENT.NO_SUCH_MAILBOX: 550 5.1.1 unknown',
      suppressedAt: minutesAfter(T0, minutes),
    });

    it('holds nothing at first', async () => {
      expect(await list().has('ada@example.com')).toBe(false);
      expect(await list().list({ limit: 10 })).toEqual([]);
    });

    it('compares addresses without regard to case, and keeps them in lower case', async () => {
      await list().add({ ...entry('Ada@Example.COM'), notificationId: '00000000-0000-4000-8000-000000000001' });
      expect(await list().has('ada@example.com')).toBe(true);
      expect(await list().has('ADA@EXAMPLE.COM')).toBe(true);
      expect(await list().has('grace@example.com')).toBe(false);
      expect(await list().list({ limit: 10 })).toEqual([
        { ...entry('ada@example.com'), notificationId: '00000000-0000-4000-8000-000000000001' },
      ]);
    });

    it('keeps the first reason when an address is added again', async () => {
      await list().add(entry('ada@example.com'));
      await list().add({ ...entry('ADA@example.com', 5), reason: 'later' });
      const [only, ...rest] = await list().list({ limit: 10 });
      expect(rest).toEqual([]);
      expect(only).toEqual(entry('ada@example.com'));
    });

    it('pages in address order', async () => {
      for (const a of ['c@example.com', 'a@example.com', 'b@example.com']) await list().add(entry(a));
      const first = await list().list({ limit: 2 });
      expect(first.map((e) => e.address)).toEqual(['a@example.com', 'b@example.com']);
      expect((await list().list({ limit: 2, afterAddress: 'B@example.com' })).map((e) => e.address)).toEqual(['c@example.com']);
    });

    it('removes one address (any case) and clears all', async () => {
      for (const a of ['a@example.com', 'b@example.com', 'c@example.com']) await list().add(entry(a));
      expect(await list().remove('A@EXAMPLE.com')).toBe(true);
      expect(await list().remove('a@example.com')).toBe(false);
      expect(await list().has('a@example.com')).toBe(false);
      expect(await list().clear()).toBe(2);
      expect(await list().list({ limit: 10 })).toEqual([]);
    });
  });
}
