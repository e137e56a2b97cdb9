import { SettingsConflictError } from '@mailroom/domain';
import { minutesAfter, T0 } from '../support/mothers';
import { useStores, type StoreFixture } from './store-fixture';

const SEALED = { v: 1, kid: 'ab12cd34', iv: 'aXY=', tag: 'dGFn', data: 'ZGF0YQ==' };

/** The SettingsStore contract, run against every adapter of the port. */
export function settingsStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`SettingsStore contract: ${name}`, () => {
    const stores = useStores(open);
    const store = () => stores().settings;

    it('starts empty at version 0', async () => {
      const snapshot = await store().read();
      expect(snapshot.version).toBe(0);
      expect([...snapshot.values]).toEqual([]);
      expect(await store().history(10)).toEqual([]);
    });

    it('applies a change atomically, bumping the version by one, and reads it back as saved', async () => {
      const saved = await store().apply({
        set: {
          'smtp.host': { value: 'smtp.office365.com' },
          'smtp.port': { value: 587 },
          'smtp.auth.clientSecret': { value: SEALED, secret: true },
        },
        by: 'admin@contoso.com',
        at: T0,
      });
      expect(saved.version).toBe(1);
      const again = await store().read();
      expect(again.version).toBe(1);
      expect(again.values.get('smtp.host')).toEqual({
        value: 'smtp.office365.com',
        secret: false,
        changedAt: T0,
        changedBy: 'admin@contoso.com',
      });
      expect(again.values.get('smtp.port')?.value).toBe(587);
      expect(again.values.get('smtp.auth.clientSecret')).toMatchObject({ value: SEALED, secret: true });
    });

    it('resets settings, and counts every save as a version', async () => {
      await store().apply({
        set: { 'links.baseUrl': { value: 'https://idm.example.com/' }, subjectPrefix: { value: '[IDM]' } },
        by: 'a',
        at: T0,
      });
      const after = await store().apply({ unset: ['subjectPrefix', 'never.set'], by: 'b', at: minutesAfter(T0, 1) });
      expect(after.version).toBe(2);
      expect([...after.values.keys()]).toEqual(['links.baseUrl']);
    });

    it('refuses a change made on a version that is no longer current, changing nothing', async () => {
      await store().apply({ set: { 'digest.maxItems': { value: 10 } }, by: 'a', at: T0 }, 0);
      const error = await store()
        .apply({ set: { 'digest.maxItems': { value: 50 } }, by: 'b', at: T0 }, 0)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SettingsConflictError);
      expect(error).toMatchObject({ code: 'SETTINGS.CONFLICT', expected: 0, actual: 1 });
      expect((await store().read()).values.get('digest.maxItems')?.value).toBe(10);
    });

    it('lets one of two concurrent changes on the same version win', async () => {
      const results = await Promise.allSettled([
        store().apply({ set: { 'digest.maxItems': { value: 1 } }, by: 'a', at: T0 }, 0),
        store().apply({ set: { 'digest.maxItems': { value: 2 } }, by: 'b', at: T0 }, 0),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SettingsConflictError)).toHaveLength(1);
      expect((await store().read()).version).toBe(1);
    });

    it('keeps an audit: who, when, old → new for plain values, only "changed" for secrets, newest first, paged', async () => {
      await store().apply({
        set: { 'smtp.host': { value: 'old.example.com' }, 'smtp.auth.password': { value: SEALED, secret: true } },
        by: 'alice',
        at: T0,
      });
      await store().apply({
        set: { 'smtp.host': { value: 'new.example.com' }, 'smtp.auth.password': { value: { ...SEALED, data: 'bmV3' }, secret: true } },
        by: 'bob',
        at: minutesAfter(T0, 5),
      });
      await store().apply({ unset: ['smtp.host'], by: 'cli', at: minutesAfter(T0, 9) });
      const [third, second, first] = await store().history(10);
      expect(first).toEqual({
        version: 1,
        at: T0,
        by: 'alice',
        changes: expect.arrayContaining([
          { path: 'smtp.host', change: 'set', secret: false, to: 'old.example.com' },
          { path: 'smtp.auth.password', change: 'set', secret: true },
        ]),
      });
      expect(second!.changes).toEqual(
        expect.arrayContaining([
          { path: 'smtp.host', change: 'set', secret: false, from: 'old.example.com', to: 'new.example.com' },
          { path: 'smtp.auth.password', change: 'set', secret: true },
        ]),
      );
      expect(third).toEqual({
        version: 3,
        at: minutesAfter(T0, 9),
        by: 'cli',
        changes: [{ path: 'smtp.host', change: 'unset', secret: false, from: 'new.example.com' }],
      });
      expect(JSON.stringify(await store().history(10))).not.toContain(SEALED.data);
      expect((await store().history(1)).map((e) => e.version)).toEqual([3]);
      expect((await store().history(10, 3)).map((e) => e.version)).toEqual([2, 1]);
    });
  });
}
