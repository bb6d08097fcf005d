import { describe, expect, it } from 'vitest';
import { windowProcessor } from '../../../processors/window/index.js';
import { eventTimeWindow } from '../../../processors/window/event-time-window.js';

describe('window processor: config', () => {
  it('has its defaults in the schema', () => {
    expect(windowProcessor.schema.parse({})).toEqual({
      size: 60_000,
      grace: 0,
      aggregates: ['mean', 'min', 'max', 'last', 'count'],
      relative_accuracy: 0.01,
      max_series: 100_000,
    });
  });

  it('reads durations and takes every aggregate', () => {
    const config = windowProcessor.schema.parse({ size: '5m', aggregates: ['sum', 'mean', 'min', 'max', 'last', 'count'], max_series: 10 });
    expect(config).toEqual({ size: 300_000, grace: 0, aggregates: ['sum', 'mean', 'min', 'max', 'last', 'count'], relative_accuracy: 0.01, max_series: 10 });
  });

  it('reports every problem at once, with its path', () => {
    const result = windowProcessor.schema.safeParse({ size: 'soon', aggregates: ['p97'], max_series: 0, step: '15s' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.') || issue.code).sort();
    expect(paths).toEqual(['aggregates.0', 'max_series', 'size', 'unrecognized_keys']);
  });

  it('reads a sliding window with grace, quantiles and rate', () => {
    const config = windowProcessor.schema.parse({ size: '1m', every: '15s', grace: '5s', aggregates: ['p95', 'rate'], relative_accuracy: 0.02 });
    expect(config).toEqual({ size: 60_000, every: 15_000, grace: 5_000, aggregates: ['p95', 'rate'], relative_accuracy: 0.02, max_series: 100_000 });
  });

  it('says at every when size is not a whole multiple of it, or when it is longer than size', () => {
    const notAMultiple = windowProcessor.schema.safeParse({ size: '1m', every: '25s' });
    expect(notAMultiple.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['every', 'size (1m) must be a whole multiple of every (25s): a window is made of size / every panes'],
    ]);
    const longer = windowProcessor.schema.safeParse({ size: '10s', every: '1m' });
    expect(longer.error?.issues[0]).toMatchObject({ path: ['every'], message: 'every (1m) must not be longer than size (10s)' });
    const tooManyPanes = windowProcessor.schema.safeParse({ size: '1h', every: '1s' });
    expect(tooManyPanes.error?.issues[0]?.path).toEqual(['every']);
    expect(tooManyPanes.error?.issues[0]?.message).toMatch(/at most 60/);
  });

  it('bounds the quantile accuracy', () => {
    expect(windowProcessor.schema.safeParse({ relative_accuracy: 0 }).success).toBe(false);
    expect(windowProcessor.schema.safeParse({ relative_accuracy: 0.5 }).success).toBe(false);
    expect(windowProcessor.schema.safeParse({ relative_accuracy: 0.001 }).success).toBe(true);
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
    expect(() => eventTimeWindow({ ...base, size: 0 })).toThrow(/size/);
    expect(() => eventTimeWindow({ ...base, maxSeries: 1.5 })).toThrow(/max_series/);
    expect(() => eventTimeWindow({ ...base, aggregates: [] })).toThrow(/aggregates/);
    expect(() => eventTimeWindow({ ...base, grace: -1 })).toThrow(/grace/);
    expect(() => eventTimeWindow({ ...base, every: 3 })).toThrow(/every/);
    expect(() => eventTimeWindow({ ...base, every: 20 })).toThrow(/every/);
    expect(() => eventTimeWindow({ ...base, relativeAccuracy: 0 })).toThrow(/relative_accuracy/);
  });
});
