import { describe, expect, it } from 'vitest';
import { HrTimeMemo, millisToHrTime } from '../../../../exporters/otlp/encode/hr-time.js';

const nanos = ([seconds, fraction]: readonly [number, number]): bigint => BigInt(seconds) * 1_000_000_000n + BigInt(fraction);

describe('millisToHrTime', () => {
  it('is exact for every millisecond epoch value, where ms * 1e6 as a double is not', () => {
    let inexactAsDouble = 0;
    for (let millis = 1_700_000_000_000; millis < 1_700_000_003_000; millis += 7) {
      expect(nanos(millisToHrTime(millis))).toBe(BigInt(millis) * 1_000_000n);
      if (BigInt(millis * 1e6) !== BigInt(millis) * 1_000_000n) inexactAsDouble++;
    }
    expect(inexactAsDouble).toBeGreaterThan(0);
    expect(millisToHrTime(0)).toEqual([0, 0]);
    expect(millisToHrTime(4_102_444_800_999)).toEqual([4_102_444_800, 999_000_000]);
  });

  it('rounds a fraction of a millisecond to the nanosecond, carrying into the next second', () => {
    expect(millisToHrTime(1_000.5)).toEqual([1, 500_000]);
    expect(millisToHrTime(1_999.9999999)).toEqual([2, 0]);
  });
});

describe('HrTimeMemo', () => {
  it('gives the same tuple for the same time and a new one for another', () => {
    const memo = new HrTimeMemo();
    const first = memo.of(1_700_000_000_123);
    expect(memo.of(1_700_000_000_123)).toBe(first);
    expect(memo.of(1_700_000_000_124)).toEqual([1_700_000_000, 124_000_000]);
  });
});
