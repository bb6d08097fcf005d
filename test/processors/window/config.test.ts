import { describe, expect, it } from 'vitest';
import { windowProcessor } from '../../../processors/window/index.js';
import { tumblingWindow } from '../../../processors/window/tumbling-window.js';

describe('window processor: config', () => {
  it('has its defaults in the schema', () => {
    expect(windowProcessor.schema.parse({})).toEqual({
      size: 60_000,
      aggregates: ['mean', 'min', 'max', 'last', 'count'],
      max_series: 100_000,
    });
  });

  it('reads durations and takes every aggregate', () => {
    const config = windowProcessor.schema.parse({ size: '5m', aggregates: ['sum', 'mean', 'min', 'max', 'last', 'count'], max_series: 10 });
    expect(config).toEqual({ size: 300_000, aggregates: ['sum', 'mean', 'min', 'max', 'last', 'count'], max_series: 10 });
  });

  it('reports every problem at once, with its path', () => {
    const result = windowProcessor.schema.safeParse({ size: 'soon', aggregates: ['p95'], max_series: 0, every: '15s' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.') || issue.code).sort();
    expect(paths).toEqual(['aggregates.0', 'max_series', 'size', 'unrecognized_keys']);
  });

  it('rejects an empty or repeated aggregate list and a zero size', () => {
    expect(windowProcessor.schema.safeParse({ aggregates: [] }).success).toBe(false);
    expect(windowProcessor.schema.safeParse({ size: '0s' }).success).toBe(false);
    expect(windowProcessor.schema.safeParse({ aggregates: ['mean', 'max', 'mean'] }).error?.issues[0]?.message).toBe('name each aggregate once');
  });

  it('is a metrics → metrics processor named window', () => {
    expect(windowProcessor).toMatchObject({ kind: 'processor', type: 'window', input: 'metrics', output: 'metrics' });
  });

  it('rejects bad operator options at once, naming the option', () => {
    const base = { size: 10, aggregates: ['mean'] as const, maxSeries: 10 };
    expect(() => tumblingWindow({ ...base, size: 0 })).toThrow(/size/);
    expect(() => tumblingWindow({ ...base, maxSeries: 1.5 })).toThrow(/max_series/);
    expect(() => tumblingWindow({ ...base, aggregates: [] })).toThrow(/aggregates/);
    expect(() => tumblingWindow({ ...base, grace: -1 })).toThrow(/grace/);
  });
});
