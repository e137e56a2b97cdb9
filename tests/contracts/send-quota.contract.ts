import type { SendQuota } from '@mailroom/domain';
import { T0 } from '../support/mothers';

/** Budgets made on demand; `reset` empties them before each test. */
export interface QuotaFixture {
  quota(perMinute: number): SendQuota;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const seconds = (s: number) => new Date(T0.getTime() + s * 1000);

/** The SendQuota contract, run against every adapter of the port. */
export function sendQuotaContract(name: string, open: () => Promise<QuotaFixture>): void {
  describe(`SendQuota contract: ${name}`, () => {
    let fixture: QuotaFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    beforeEach(() => fixture.reset());
    afterAll(() => fixture?.close());

    it('grants up to the budget of the minute, then nothing', async () => {
      const quota = fixture.quota(30);
      expect(await quota.take(seconds(0), 20)).toBe(20);
      expect(await quota.take(seconds(10), 20)).toBe(10);
      expect(await quota.take(seconds(59), 1)).toBe(0);
    });

    it('starts every minute with a fresh budget', async () => {
      const quota = fixture.quota(3);
      expect(await quota.take(seconds(30), 5)).toBe(3);
      expect(await quota.take(seconds(60), 5)).toBe(3);
    });

    it('takes back what was granted but not used', async () => {
      const quota = fixture.quota(30);
      expect(await quota.take(seconds(0), 30)).toBe(30);
      await quota.giveBack(seconds(1), 10);
      expect(await quota.take(seconds(2), 20)).toBe(10);
    });

    it('never counts below nothing, and grants nothing when nothing is wanted', async () => {
      const quota = fixture.quota(5);
      await quota.giveBack(seconds(0), 10);
      expect(await quota.take(seconds(0), 0)).toBe(0);
      expect(await quota.take(seconds(0), 10)).toBe(5);
    });
  });
}
