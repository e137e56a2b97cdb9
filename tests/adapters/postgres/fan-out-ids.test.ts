import { fanOutIdPrefix, FAN_OUT_COUNTER_DIGITS } from '../../../packages/adapters/src/postgres/uuid';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the fan-out statement does with the prefix: appends the row's number in hex. */
const idOf = (prefix: string, row: number) => {
  const hex = prefix + row.toString(16).padStart(FAN_OUT_COUNTER_DIGITS, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

describe('fan-out ids', () => {
  it('are UUID version 7 with the time first, rising with the row number', () => {
    const at = Date.parse('2026-01-05T09:00:00Z');
    const prefix = fanOutIdPrefix(at);
    expect(prefix).toHaveLength(32 - FAN_OUT_COUNTER_DIGITS);
    const ids = [1, 2, 15, 16, 100_000, 16 ** FAN_OUT_COUNTER_DIGITS - 1].map((row) => idOf(prefix, row));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(parseInt(prefix.slice(0, 12), 16)).toBe(at);
  });

  it('differ between two fan-outs in the same millisecond', () => {
    const prefixes = new Set(Array.from({ length: 1000 }, () => fanOutIdPrefix(0)));
    expect(prefixes.size).toBe(1000);
  });
});
