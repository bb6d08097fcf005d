import { describe, expect, it } from 'vitest';
import { HistorySketch, MAX_SKETCH_BUCKETS, SKETCH_RELATIVE_ACCURACY } from '../../src/history/sketch.js';
import { exactQuantile } from '../../src/history/step-aggregate.js';

/** A deterministic spread of values over several orders of magnitude, both signs and zeros. */
function values(count: number, seed: number): number[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, (_, i) => (i % 17 === 0 ? 0 : (next() < 0.2 ? -1 : 1) * Math.exp(next() * 12 - 4)));
}

function within(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= SKETCH_RELATIVE_ACCURACY * Math.abs(expected) + 1e-12;
}

describe('HistorySketch', () => {
  it('reports every quantile within its stated relative accuracy of the value at that rank', () => {
    const all = values(5_000, 7);
    const sketch = new HistorySketch();
    for (const value of all) sketch.add(value);
    expect(sketch.count).toBe(all.length);
    for (const q of [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1]) {
      const expected = exactQuantile(all, q);
      expect(within(sketch.quantile(q), expected), `q=${q}: ${sketch.quantile(q)} vs ${expected}`).toBe(true);
    }
  });

  it('merges: the merged sketch of parts answers as the sketch of the whole', () => {
    const all = values(3_000, 11);
    const whole = new HistorySketch();
    const merged = new HistorySketch();
    for (let part = 0; part < 3; part++) {
      const sketch = new HistorySketch();
      for (const value of all.slice(part * 1_000, (part + 1) * 1_000)) {
        sketch.add(value);
        whole.add(value);
      }
      merged.merge(sketch);
    }
    for (const q of [0.5, 0.9, 0.95, 0.99]) expect(merged.quantile(q)).toBe(whole.quantile(q));
  });

  it('survives encode and decode unchanged, and merges straight from the bytes', () => {
    const sketch = new HistorySketch();
    for (const value of values(2_000, 3)) sketch.add(value);
    const decoded = HistorySketch.decode(sketch.encode());
    expect(decoded.count).toBe(sketch.count);
    expect(decoded.zeros).toBe(sketch.zeros);
    expect(decoded.positive).toEqual(sketch.positive);
    expect(decoded.negative).toEqual(sketch.negative);
    const twice = new HistorySketch();
    twice.mergeEncoded(sketch.encode());
    twice.mergeEncoded(sketch.encode());
    expect(twice.count).toBe(2 * sketch.count);
    expect(twice.quantile(0.95)).toBe(sketch.quantile(0.95));
  });

  it('encodes a few points in a few bytes', () => {
    const sketch = new HistorySketch();
    for (const value of [0.12, 0.13, 0.12, 0.5]) sketch.add(value);
    expect(sketch.encode().length).toBeLessThan(16);
  });

  it('refuses bytes of an unknown codec or cut short', () => {
    expect(() => HistorySketch.decode(Buffer.from([9, 0, 0, 0]))).toThrow(/codec version 9/);
    expect(() => HistorySketch.decode(Buffer.from([1, 0, 2, 4]))).toThrow(/truncated/);
  });

  it('keeps at most MAX_SKETCH_BUCKETS buckets per sign, the high quantiles still accurate', () => {
    const sketch = new HistorySketch();
    const all: number[] = [];
    for (let i = 0; i < 6_000; i++) {
      const value = 1.021 ** i * 1e-12;
      all.push(value);
      sketch.add(value);
    }
    expect(sketch.positive.size).toBeLessThanOrEqual(MAX_SKETCH_BUCKETS);
    expect(within(sketch.quantile(0.99), exactQuantile(all, 0.99))).toBe(true);
    expect(sketch.count).toBe(all.length);
  });

  it('answers NaN when empty', () => {
    expect(new HistorySketch().quantile(0.5)).toBeNaN();
  });
});
