import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/model/point.js';
import { apiCpu, dbCpu, describeBatch, newTestScheduler, partial, point, windowOperator } from './fixtures.js';

// A window flushed before its end holds part of its points: its figures are marked partial so
// that threshold neither raises nor resolves on them. A window closed by the clock is whole.
describe('window processor: partial windows', () => {
  it('leaves a window closed by time unmarked, with no partial key at all', () => {
    const testScheduler = newTestScheduler();
    const emitted: MetricPoint[] = [];
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean'] }, testScheduler);
      const source = hot('a 4ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 3, 5)] });
      const windowed = source.pipe(operator);
      windowed.subscribe((batch) => emitted.push(...batch));
      expectObservable(windowed.pipe(describeBatch)).toBe('10ms x', { x: ['api/cpu mean@10=2'] });
    });
    expect(emitted).toHaveLength(1);
    // Not `partial: false` either: a whole window looks exactly like any other point.
    expect(Object.keys(emitted[0]!)).toEqual(['series', 'value', 'time']);
  });

  it('marks every figure of a window flushed on complete as partial, and only those', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean', 'count'] }, testScheduler);
      // The first window closes by time at 10; the second is cut short when the source completes at 14.
      const source = cold('a 9ms b 3ms |', {
        a: [point(apiCpu, 1, 0), point(dbCpu, 2, 0)],
        b: [point(apiCpu, 5, 10), point(dbCpu, 6, 10)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 3ms (y|)', {
        x: ['api/cpu mean@10=1', 'api/cpu count@10=1', 'db/cpu mean@10=2', 'db/cpu count@10=1'],
        y: partial(['api/cpu mean@20=5', 'api/cpu count@20=1', 'db/cpu mean@20=6', 'db/cpu count@20=1']),
      });
    });
  });

  it('keeps the partial mark off the series: the partial figure is the same series as a whole one', () => {
    const testScheduler = newTestScheduler();
    const emitted: MetricPoint[] = [];
    testScheduler.run(({ cold, flush }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean'] }, testScheduler);
      cold('a 9ms b 1ms |', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 2, 10)] })
        .pipe(operator)
        .subscribe((batch) => emitted.push(...batch));
      flush();
    });
    const [whole, cut] = emitted;
    expect(whole?.partial).toBeUndefined();
    expect(cut?.partial).toBe(true);
    expect(cut?.series).toBe(whole?.series);
    expect(cut?.series.attributes).toEqual({ aggregate: 'mean' });
  });

  it('flushes an expired series as nothing: it had no point left in an open window', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count'] }, testScheduler);
      // db/cpu stops after the first window and expires at 20; api/cpu's third window is cut at 25.
      const source = cold('a 9ms b 9ms c 4ms |', {
        a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0)],
        b: [point(apiCpu, 1, 10)],
        c: [point(apiCpu, 1, 20)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y 4ms (z|)', {
        x: ['api/cpu count@10=1', 'db/cpu count@10=1'],
        y: ['api/cpu count@20=1'],
        z: partial(['api/cpu count@30=1']),
      });
    });
  });
});
