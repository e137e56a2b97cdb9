import { RetryPolicy } from '@mailroom/domain';

const T = new Date('2026-01-05T09:00:00Z');
const minutes = (d: Date | undefined) => (d!.getTime() - T.getTime()) / 60_000;

describe('RetryPolicy', () => {
  it('doubles from one minute up to one hour, and gives up after ten attempts by default', () => {
    const policy = new RetryPolicy({}, () => 0.5); // 0.5 = the middle of the jitter spread
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((a) => minutes(policy.nextAttemptAt(a, T)))).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(policy.nextAttemptAt(10, T)).toBeUndefined();
  });

  it('spreads each delay by the jitter fraction', () => {
    expect(minutes(new RetryPolicy({ jitter: 0.2 }, () => 0).nextAttemptAt(4, T))).toBeCloseTo(6.4);
    expect(minutes(new RetryPolicy({ jitter: 0.2 }, () => 0.999999).nextAttemptAt(4, T))).toBeCloseTo(9.6, 3);
  });

  it('follows configured settings', () => {
    const policy = new RetryPolicy({ initialDelayMs: 1000, multiplier: 3, maxDelayMs: 10_000, maxAttempts: 3, jitter: 0 });
    expect(policy.baseDelayMs(1)).toBe(1000);
    expect(policy.baseDelayMs(2)).toBe(3000);
    expect(policy.baseDelayMs(3)).toBe(9000);
    expect(policy.baseDelayMs(4)).toBe(10_000);
    expect(policy.nextAttemptAt(3, T)).toBeUndefined();
  });

  it('refuses settings that make no sense', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new RetryPolicy({ multiplier: 0.5 })).toThrow(/multiplier/);
    expect(() => new RetryPolicy({ jitter: 1 })).toThrow(/jitter/);
  });
});
