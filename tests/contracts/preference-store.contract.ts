import { effectiveChoice } from '@mailroom/domain';
import { minutesAfter, T0 } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

/** The PreferenceStore contract, run against every adapter of the port. */
export function preferenceStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`PreferenceStore contract: ${name}`, () => {
    const stores = useStores(open);
    const store = () => stores().preferences;

    it('has no choice for anyone at first', async () => {
      expect(await store().lookup({ userId: 'u1', kind: 'user-invite' })).toBeUndefined();
      expect(await store().of('u1')).toEqual([]);
    });

    it('finds the choice on the topic first, then the kind-wide one; other users and kinds are apart', async () => {
      await store().set({ userId: 'u1', kind: 'query-results-changed', choice: 'digest', updatedAt: T0 });
      await store().set({ userId: 'u1', kind: 'query-results-changed', topic: 'query:42', choice: 'off', updatedAt: T0 });
      await store().set({ userId: 'u2', kind: 'query-results-changed', choice: 'immediate', updatedAt: T0 });
      const lookup = (userId: string, kind: string, topic?: string) => store().lookup({ userId, kind, ...(topic ? { topic } : {}) });
      expect(await lookup('u1', 'query-results-changed', 'query:42')).toBe('off');
      expect(await lookup('u1', 'query-results-changed', 'query:7')).toBe('digest');
      expect(await lookup('u1', 'query-results-changed')).toBe('digest');
      expect(await lookup('u2', 'query-results-changed', 'query:42')).toBe('immediate');
      expect(await lookup('u1', 'import-failed')).toBeUndefined();
    });

    it('replaces a choice for the same user, kind and topic, and clears it', async () => {
      await store().set({ userId: 'u1', kind: 'import-failed', choice: 'off', updatedAt: T0 });
      await store().set({ userId: 'u1', kind: 'import-failed', choice: 'digest', updatedAt: minutesAfter(T0, 5) });
      expect(await store().of('u1')).toEqual([{ userId: 'u1', kind: 'import-failed', choice: 'digest', updatedAt: minutesAfter(T0, 5) }]);
      expect(await store().clear({ userId: 'u1', kind: 'import-failed' })).toBe(true);
      expect(await store().clear({ userId: 'u1', kind: 'import-failed' })).toBe(false);
      expect(await store().lookup({ userId: 'u1', kind: 'import-failed' })).toBeUndefined();
    });

    it("lists a user's choices by kind, the kind-wide one before its topics", async () => {
      await store().set({ userId: 'u1', kind: 'query-results-changed', topic: 'query:9', choice: 'off', updatedAt: T0 });
      await store().set({ userId: 'u1', kind: 'query-results-changed', choice: 'digest', updatedAt: T0 });
      await store().set({ userId: 'u1', kind: 'import-failed', choice: 'immediate', updatedAt: T0 });
      expect((await store().of('u1')).map((p) => [p.kind, p.topic ?? '*', p.choice])).toEqual([
        ['import-failed', '*', 'immediate'],
        ['query-results-changed', '*', 'digest'],
        ['query-results-changed', 'query:9', 'off'],
      ]);
    });

    it('is the matrix kind × topic × mandatory through effectiveChoice', async () => {
      await store().set({ userId: 'u1', kind: 'query-results-changed', topic: 'query:42', choice: 'off', updatedAt: T0 });
      await store().set({ userId: 'u1', kind: 'user-invite', choice: 'off', updatedAt: T0 });
      const choice = async (kind: string, topic: string | undefined, mandatory: boolean) =>
        effectiveChoice(await store().lookup({ userId: 'u1', kind, ...(topic ? { topic } : {}) }), { requested: 'immediate', mandatory });
      expect(await choice('query-results-changed', 'query:42', false)).toBe('off');
      expect(await choice('query-results-changed', 'query:7', false)).toBe('immediate');
      expect(await choice('user-invite', undefined, false)).toBe('off');
      expect(await choice('user-invite', undefined, true)).toBe('immediate'); // mandatory: never off
    });
  });
}
