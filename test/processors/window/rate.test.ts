import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/model/point.js';
import type { Series } from '../../../src/model/series.js';
import { apiCpu, apiRequests, describeBatch, newTestScheduler, windowOperator } from './fixtures.js';

/** A reading of a cumulative counter that started counting at `startTime`. */
function reading(series: Series, value: number, time: number, startTime = 0): MetricPoint {
  return { series, value, time, startTime };
}

// `rate` is the counter's increase over the window per second of the window (frames are ms,
// so a 10ms window's increase is multiplied by 100), resets counted as Prometheus does.
describe('window processor: rate of a counter', () => {
  it('counts a drop in the value as a reset, the new value counted from zero, and continues from the reading before the window', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['rate', 'last'] }, testScheduler);
      const source = hot('a 2ms b 2ms c 2ms d 2ms e', {
        a: [reading(apiRequests, 100, 0)],
        b: [reading(apiRequests, 130, 3)], // +30
        c: [reading(apiRequests, 10, 6)], // reset: +10
        d: [reading(apiRequests, 25, 9)], // +15
        e: [reading(apiRequests, 40, 12)], // +15 from the reading before the window
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y', {
        x: ['api/requests rate@10=5500', 'api/requests last@10=25'],
        y: ['api/requests rate@20=1500', 'api/requests last@20=40'],
      });
    });
  });

  it('counts a new start time as a reset even when the value did not drop', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['rate'] }, testScheduler);
      const source = hot('a 4ms b 4ms c 4ms d', {
        a: [reading(apiRequests, 500, 0, 0)],
        b: [reading(apiRequests, 520, 5, 0)], // +20
        c: [reading(apiRequests, 600, 10, 9)], // restarted at 9: +600, not +80
        d: [reading(apiRequests, 610, 15, 9)], // +10
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y', {
        x: ['api/requests rate@10=2000'],
        y: ['api/requests rate@20=61000'],
      });
    });
  });

  it('works over a sliding window’s panes: each window’s increase is that of its own readings', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '20ms', every: '10ms', aggregates: ['rate'] }, testScheduler);
      const source = hot('a 4ms b 6ms c 2ms d 9ms e', {
        a: [reading(apiRequests, 0, 0)],
        b: [reading(apiRequests, 10, 5)], // +10
        c: [reading(apiRequests, 20, 12)], // +10
        d: [reading(apiRequests, 5, 15)], // reset: +5
        e: [reading(apiRequests, 15, 25)], // +10
      });
      // [−10,10): 10; [0,20): 25; [10,30): 10 from the reading before it (10 at 5) + 5 + 10; [20,40): 10.
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms w 9ms x 9ms y 9ms z', {
        w: ['api/requests rate@10=500'],
        x: ['api/requests rate@20=1250'],
        y: ['api/requests rate@30=1250'],
        z: ['api/requests rate@40=500'],
      });
    });
  });

  it('gives a gauge no rate figure, says so once, and still emits its other figures', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['rate', 'max'] }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms b', { a: [reading(apiCpu, 0.5, 0), reading(apiRequests, 1, 0)], b: [reading(apiCpu, 0.7, 10)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y', {
        x: ['api/cpu max@10=0.5', 'api/requests rate@10=0', 'api/requests max@10=1'],
        y: ['api/cpu max@20=0.7'],
      });
    });
    const warnings = ctx.logs.records().filter((record) => String(record['msg'] ?? record['message']).includes('rate is defined for monotonic counters'));
    expect(warnings).toHaveLength(1);
    expect(ctx.telemetry.counts.dropped).toBe(0);
  });

  it('makes a gauge, not a monotonic sum, of a counter', () => {
    const testScheduler = newTestScheduler();
    const seen: Series[] = [];
    testScheduler.run(({ hot }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['rate', 'last'] }, testScheduler);
      hot('a', { a: [reading(apiRequests, 3, 0)] })
        .pipe(operator)
        .subscribe((batch) => seen.push(...batch.map((p) => p.series)));
    });
    expect(apiRequests).toMatchObject({ kind: 'sum', monotonic: true });
    expect(seen.map((series) => [series.attributes['aggregate'], series.kind, series.monotonic])).toEqual([
      ['rate', 'gauge', false],
      ['last', 'gauge', false],
    ]);
  });
});
