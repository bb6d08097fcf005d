import { describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/model/point.js';
import { eventTimeWindow, type WindowStateView } from '../../../processors/window/event-time-window.js';
import {
  apiCpu,
  apiLatency,
  apiRequests,
  dbCpu,
  describeBatch,
  newTestScheduler,
  point,
  recordingScheduler,
  windowOperator,
} from './fixtures.js';

describe('window processor: late points, bounds and cancellation', () => {
  it('drops a point whose window has closed and counts it', () => {
    const testScheduler = newTestScheduler();
    let ctxDropped = (): number => 0;
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'] }, testScheduler);
      ctxDropped = () => ctx.telemetry.counts.dropped;
      const source = hot('a 11ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 1, 5), point(apiCpu, 1, 12)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y', {
        x: ['api/cpu count@10=1'],
        y: ['api/cpu count@20=1'],
      });
    });
    expect(ctxDropped()).toBe(1);
  });

  it('holds a window open for the grace period and takes late points within it', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const drops: number[] = [];
      const operator = eventTimeWindow({
        size: 10,
        grace: 5,
        aggregates: ['count'],
        maxSeries: 10,
        scheduler: testScheduler,
        onDrop: (_reason, count) => drops.push(count),
      });
      const source = hot('a 11ms b 4ms c', {
        a: [point(apiCpu, 1, 0)],
        b: [point(apiCpu, 1, 9), point(apiCpu, 1, 12)],
        c: [point(apiCpu, 1, 8)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('15ms x 9ms y', {
        x: ['api/cpu count@10=2'],
        y: ['api/cpu count@20=1'],
      });
      testScheduler.schedule(() => expect(drops).toEqual([1]), 30);
    });
  });

  it('drops and counts points of new series beyond max_series', () => {
    const testScheduler = newTestScheduler();
    let dropped = (): number => 0;
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'], max_series: 2 }, testScheduler);
      dropped = () => ctx.telemetry.countOf('dropped', { reason: 'max_series' });
      const source = hot('a', { a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0), point(apiLatency, 1, 0), point(apiLatency, 1, 1), point(apiCpu, 1, 2)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', {
        x: ['api/cpu count@10=2', 'db/cpu count@10=1'],
      });
    });
    expect(dropped()).toBe(2);
  });

  it('expires a series after a whole window without points, freeing its place', () => {
    const testScheduler = newTestScheduler();
    let dropped = (): number => 0;
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'], max_series: 2 }, testScheduler);
      dropped = () => ctx.telemetry.counts.dropped;
      // db/cpu stops after the first window; in the third, a new series takes its place.
      const source = hot('a 9ms b 9ms c', {
        a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0)],
        b: [point(apiCpu, 1, 10)],
        c: [point(apiCpu, 1, 20), point(apiLatency, 1, 20)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y 9ms z', {
        x: ['api/cpu count@10=1', 'db/cpu count@10=1'],
        y: ['api/cpu count@20=1'],
        z: ['api/cpu count@30=1', 'api/latency count@30=1'],
      });
    });
    expect(dropped()).toBe(0);
  });

  it('keeps state bounded under churn and releases it all once the points stop', () => {
    const testScheduler = newTestScheduler();
    const seen: Array<[number, number]> = [];
    testScheduler.run(({ cold, expectObservable }) => {
      let view: WindowStateView | undefined;
      const operator = eventTimeWindow({
        size: 10,
        aggregates: ['count'],
        maxSeries: 1000,
        scheduler: testScheduler,
        probe: (v) => (view = v),
      });
      // Each window sees a fresh pair of series, as when targets churn.
      const churn = (t: number): MetricBatch => [point(apiCpu.with('pod', t, 'gauge'), 1, t), point(dbCpu.with('pod', t, 'gauge'), 1, t)];
      const source = cold('a 9ms b 9ms c 9ms d', { a: churn(0), b: churn(10), c: churn(20), d: churn(30) });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms w 9ms x 9ms y 9ms z', {
        w: ['api/cpu count@10=1', 'db/cpu count@10=1'],
        x: ['api/cpu count@20=1', 'db/cpu count@20=1'],
        y: ['api/cpu count@30=1', 'db/cpu count@30=1'],
        z: ['api/cpu count@40=1', 'db/cpu count@40=1'],
      });
      for (const at of [5, 15, 25, 35, 45, 55]) {
        testScheduler.schedule(() => seen.push([at, view?.liveSeries ?? -1]), at);
      }
      testScheduler.schedule(() => expect(view?.timerPending).toBe(false), 60);
    });
    // At most the current pair plus the previous one (idle for less than a window).
    expect(seen).toEqual([[5, 2], [15, 4], [25, 4], [35, 4], [45, 2], [55, 0]]);
  });

  it('cancels its close timer on unsubscribe: nothing is emitted afterwards', () => {
    const testScheduler = newTestScheduler();
    const { scheduler, scheduled } = recordingScheduler(testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms' }, scheduler);
      const source = hot('a 9ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 1, 10)] });
      expectObservable(source.pipe(operator, describeBatch), '^ 14ms !').toBe('10ms x', {
        x: ['mean', 'min', 'max', 'last', 'count'].map((name) => `api/cpu ${name}@10=1`),
      });
    });
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((subscription) => subscription.closed)).toBe(true);
  });

  it('drops and counts NaN values instead of poisoning the window', () => {
    const testScheduler = newTestScheduler();
    let dropped = (): number => 0;
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['mean', 'count'] }, testScheduler);
      dropped = () => ctx.telemetry.counts.dropped;
      const source = hot('a', { a: [point(apiCpu, Number.NaN, 0), point(apiCpu, 3, 1)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', { x: ['api/cpu mean@10=3', 'api/cpu count@10=1'] });
    });
    expect(dropped()).toBe(1);
  });

  it('aggregates monotonic sums as given', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['last', 'max'] }, testScheduler);
      const source = hot('a 4ms b', { a: [point(apiRequests, 100, 0)], b: [point(apiRequests, 130, 5)] });
      expectObservable(source.pipe(operator)).toBe('10ms x', {
        x: [
          { series: apiRequests.with('aggregate', 'last', 'gauge'), value: 130, time: 10 },
          { series: apiRequests.with('aggregate', 'max', 'gauge'), value: 130, time: 10 },
        ],
      });
    });
  });
});
