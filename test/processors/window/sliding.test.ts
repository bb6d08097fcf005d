import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/model/point.js';
import { staleMarker } from '../../../src/model/point.js';
import { eventTimeWindow, type WindowStateView } from '../../../processors/window/event-time-window.js';
import { apiCpu, dbCpu, describeBatch, newTestScheduler, partial, point, seededRandom, windowedAtTheirTimes, windowOperator } from './fixtures.js';

// Sliding windows of `size` ending at every multiple of `every`, made of size / every panes:
// one frame is one millisecond, so `size: 20ms, every: 10ms` makes windows [0,20), [10,30), …
describe('window processor: sliding windows', () => {
  it('counts a point in each window that overlaps it, once per window', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '20ms', every: '10ms', aggregates: ['count', 'sum'] }, testScheduler);
      const source = hot('a 11ms b 12ms c', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 3, 12)], c: [point(apiCpu, 5, 25)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms w 9ms x 9ms y 9ms z', {
        w: ['api/cpu count@10=1', 'api/cpu sum@10=1'],
        x: ['api/cpu count@20=2', 'api/cpu sum@20=4'],
        y: ['api/cpu count@30=2', 'api/cpu sum@30=8'],
        z: ['api/cpu count@40=1', 'api/cpu sum@40=5'],
      });
    });
  });

  it('emits every window a lone point belongs to, though no other point arrives', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '40ms', every: '10ms', aggregates: ['max'] }, testScheduler);
      const source = hot('a', { a: [point(apiCpu, 7, 3)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms w 9ms x 9ms y 9ms z', {
        w: ['api/cpu max@10=7'],
        x: ['api/cpu max@20=7'],
        y: ['api/cpu max@30=7'],
        z: ['api/cpu max@40=7'],
      });
    });
  });

  it('gives every window exactly the figures of the points inside it (random points, several series)', () => {
    const size = 40;
    const every = 10;
    const points: MetricPoint[] = [];
    const random = seededRandom(7);
    for (let time = 0; time < 100; time++) {
      for (const series of [apiCpu, dbCpu]) if (random() < 0.6) points.push(point(series, Math.round(random() * 100), time));
    }
    const seen = windowedAtTheirTimes({ size: `${size}ms`, every: `${every}ms`, aggregates: ['count', 'sum', 'min', 'max', 'last'] }, points, 100);
    const ends = [...new Set(seen.map((p) => p.time))].sort((a, b) => a - b);
    expect(ends).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
    for (const end of ends) {
      for (const series of [apiCpu, dbCpu]) {
        const inside = points.filter((p) => p.series === series && p.time >= end - size && p.time < end);
        const figures = Object.fromEntries(
          seen.filter((p) => p.time === end && p.series.resource === series.resource && !p.partial).map((p) => [p.series.attributes['aggregate'], p.value]),
        );
        const values = inside.map((p) => p.value);
        const expected = inside.length === 0 ? {} : {
          count: values.length,
          sum: values.reduce((a, b) => a + b, 0),
          min: Math.min(...values),
          max: Math.max(...values),
          last: values[values.length - 1],
        };
        expect({ end, series: series.resource.serviceName, figures }).toEqual({ end, series: series.resource.serviceName, figures: expected });
      }
    }
  });

  it('takes a point within the grace period into every window of its pane, and drops a later one as late', () => {
    const testScheduler = newTestScheduler();
    let late = (): number => 0;
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator, ctx } = windowOperator({ size: '20ms', every: '10ms', grace: '5ms', aggregates: ['count'] }, testScheduler);
      late = () => ctx.telemetry.countOf('dropped', { reason: 'late' });
      // b (stamped 8) arrives at 13, within the pane's grace (10 + 5); c (stamped 9) at 16, after it.
      const source = hot('a 12ms b 2ms c', { a: [point(apiCpu, 1, 2)], b: [point(apiCpu, 1, 8)], c: [point(apiCpu, 1, 9), point(apiCpu, 1, 16)] });
      // Windows close at their end + 5: [−10,10) at 15 with a and b, [0,20) at 25 with a, b and
      // the point stamped 16, [10,30) at 35 with that one only.
      expectObservable(source.pipe(operator, describeBatch)).toBe('15ms w 9ms x 9ms y', {
        w: ['api/cpu count@10=2'],
        x: ['api/cpu count@20=3'],
        y: ['api/cpu count@30=1'],
      });
    });
    expect(late()).toBe(1);
  });

  it('flushes, when the source completes, the window ending at each open pane with points, partial', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '20ms', every: '10ms', aggregates: ['count'] }, testScheduler);
      const source = cold('a 11ms b 2ms |', { a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0)], b: [point(apiCpu, 1, 12)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 4ms (y|)', {
        x: ['api/cpu count@10=1', 'db/cpu count@10=1'],
        // db/cpu has no point in the open pane [10,20): its window ending at 20 would repeat [0,10).
        y: partial(['api/cpu count@20=2']),
      });
    });
  });

  it('closes a leaving series early: the window ending at its open pane, partial, then its markers', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '20ms', every: '10ms', aggregates: ['count'] }, testScheduler);
      const source = hot('a 11ms b 2ms c', { a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0)], b: [point(apiCpu, 1, 12)], c: [staleMarker(apiCpu, 14)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 4ms y 4ms z', {
        x: ['api/cpu count@10=1', 'db/cpu count@10=1'],
        y: [...partial(['api/cpu count@20=2']), 'api/cpu count@14 stale'],
        z: ['db/cpu count@20=1'],
      });
    });
  });

  it('releases panes no window needs and forgets a series after a whole window without points', () => {
    const testScheduler = newTestScheduler();
    const live: Array<[number, number]> = [];
    testScheduler.run(({ hot, expectObservable }) => {
      let view: WindowStateView | undefined;
      const operator = eventTimeWindow({ size: 30, every: 10, aggregates: ['count'], maxSeries: 10, scheduler: testScheduler, probe: (v) => (view = v) });
      const source = hot('a', { a: [point(apiCpu, 1, 0)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 9ms y 9ms z', {
        x: ['api/cpu count@10=1'],
        y: ['api/cpu count@20=1'],
        z: ['api/cpu count@30=1'],
      });
      for (const at of [35, 45]) testScheduler.schedule(() => live.push([at, view?.liveSeries ?? -1]), at);
      testScheduler.schedule(() => expect(view?.timerPending).toBe(false), 50);
    });
    expect(live).toEqual([
      [35, 1],
      [45, 0],
    ]);
  });
});
