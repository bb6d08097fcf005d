import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { apiCpu, describeBatch, newTestScheduler, point, windowOperator } from './fixtures.js';

const durations = new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1' })).get({
  name: 'http.server.request.duration',
  unit: 's',
  kind: 'histogram',
});

describe('window processor: histogram points', () => {
  it('rejects them, counted with reason histogram and said once in the log, and windows the rest', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'] }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 4ms b', { a: [point(durations, 0.2, 0), point(apiCpu, 1, 0)], b: [point(durations, 0.3, 5)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', { x: ['api/cpu count@10=1'] });
    });
    expect(ctx.telemetry.countOf('dropped', { reason: 'histogram' })).toBe(2);
    const said = ctx.logs.records().filter((record) => JSON.stringify(record).includes('histogram points are not windowed'));
    expect(said).toHaveLength(1);
  });
});
