import { describe, expect, it } from 'vitest';
import { BucketList } from '../../src/history/bucket-list.js';
import { HistorySketch } from '../../src/history/sketch.js';

function sketchOf(values: number[]): HistorySketch {
  const sketch = new HistorySketch();
  for (const value of values) sketch.add(value);
  return sketch;
}

describe('BucketList', () => {
  it('answers, from encoded sketches one after another, what the merged sketch answers', () => {
    const parts = [
      [0.01, 0.02, 0.5, -3, 0],
      [7, 7.5, 0.001, -0.2],
      [120, 0, 0, 3.3, 4.4, 5.5],
    ];
    const merged = new HistorySketch();
    for (const part of parts) merged.merge(sketchOf(part));
    const list = new BucketList();
    list.addEncoded(Buffer.concat(parts.slice(0, 2).map((part) => sketchOf(part).encode())));
    list.addEncoded(sketchOf(parts[2]!).encode());
    expect(list.total).toBe(merged.count);
    for (const q of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) expect(list.quantile(q)).toBe(merged.quantile(q));
  });

  it('serves step after step once cleared, reading sketches at their offsets in one buffer', () => {
    const first = sketchOf([0.2, 0.3, -1, 0]);
    const second = sketchOf([50, 60, 70]);
    const bytes = Buffer.concat([first.encode(), second.encode()]);
    const list = new BucketList();
    const next = list.addSketchAt(bytes, 0);
    expect(next).toBe(first.encode().length);
    expect(list.quantile(0.5)).toBe(first.quantile(0.5));
    list.clear();
    expect(list.quantile(0.5)).toBeNaN();
    expect(list.addSketchAt(bytes, next)).toBe(bytes.length);
    expect(list.total).toBe(3);
    for (const q of [0, 0.5, 1]) expect(list.quantile(q)).toBe(second.quantile(q));
  });

  it('answers NaN when empty and refuses an unknown codec', () => {
    expect(new BucketList().quantile(0.5)).toBeNaN();
    expect(() => new BucketList().addEncoded(Buffer.from([2, 0, 0, 0]))).toThrow(/codec version 2/);
  });
});
