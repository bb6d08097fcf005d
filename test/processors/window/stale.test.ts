import { describe, expect, it } from 'vitest';
import { staleMarker } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { eventTimeWindow, type WindowStateView } from '../../../processors/window/event-time-window.js';
import { apiCpu, apiLatency, dbCpu, describeBatch, newTestScheduler, partial, point, windowOperator } from './fixtures.js';

// A staleness marker says a series' source left on purpose (an instance removed from the
// registry): the window hands on what it held as partial figures, then a marker per output
// series, so threshold forgets them instead of raising `unknown`, and forgets the series itself.
describe('window processor: a series whose source left', () => {
  it('closes its open window early (partial), then passes a marker for each aggregate, leaving the other series alone', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean', 'count'] }, testScheduler);
      const source = hot('a 2ms b 1ms c', {
        a: [point(apiCpu, 1, 0), point(dbCpu, 2, 0)],
        b: [point(apiCpu, 3, 3)],
        c: [staleMarker(apiCpu, 5)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('5ms x 4ms y', {
        x: [...partial(['api/cpu mean@10=2', 'api/cpu count@10=2']), 'api/cpu mean@5 stale', 'api/cpu count@5 stale'],
        y: ['db/cpu mean@10=2', 'db/cpu count@10=1'],
      });
    });
  });

  it('drops the state of the series: a later point starts afresh, in a window of its own figures only', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count', 'max'] }, testScheduler);
      const source = hot('a 3ms b 2ms c', {
        a: [point(apiCpu, 9, 0), point(apiLatency, 1, 0)],
        b: [staleMarker(apiCpu, 4)],
        c: [point(apiCpu, 2, 6)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('4ms x 5ms y', {
        x: [...partial(['api/cpu count@10=1', 'api/cpu max@10=9']), 'api/cpu count@4 stale', 'api/cpu max@4 stale'],
        y: ['api/latency count@10=1', 'api/latency max@10=1', 'api/cpu count@10=1', 'api/cpu max@10=2'],
      });
    });
  });

  it('holds no state for a series that left: its live series count goes down at once', () => {
    const testScheduler = newTestScheduler();
    const live: Array<[number, number]> = [];
    testScheduler.run(({ hot, expectObservable }) => {
      let view: WindowStateView | undefined;
      const operator = eventTimeWindow({ size: 10, aggregates: ['mean'], maxSeries: 10, scheduler: testScheduler, probe: (v) => (view = v) });
      const source = hot('a 1ms b', { a: [point(apiCpu, 1, 0), point(dbCpu, 1, 0)], b: [staleMarker(apiCpu, 2)] });
      expectObservable(source.pipe(operator), '^ 5ms !');
      for (const at of [1, 3]) testScheduler.schedule(() => live.push([at, view?.liveSeries ?? -1]), at);
    });
    expect(live).toEqual([
      [1, 2],
      [3, 1],
    ]);
  });

  it("passes markers for a series it no longer holds (forgotten after an idle window): threshold may still hold it", () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean'] }, testScheduler);
      const source = hot('a 29ms b', { a: [point(apiCpu, 1, 0)], b: [staleMarker(apiCpu, 30)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 19ms y', {
        x: ['api/cpu mean@10=1'],
        y: ['api/cpu mean@30 stale'],
      });
    });
  });

  it("finds the series of a restarted receiver's marker by content, and counts no marker as a dropped NaN", () => {
    const testScheduler = newTestScheduler();
    const run = () => new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'a' })).get({ name: 'cpu', unit: '1', kind: 'gauge' });
    const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'] }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 1ms b', { a: [point(run(), 4, 0)], b: [staleMarker(run(), 2)] });
      expectObservable(source.pipe(operator, describeBatch), '^ 20ms !').toBe('2ms x', {
        x: [...partial(['api/cpu count@10=1']), 'api/cpu count@2 stale'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(0);
  });
});
