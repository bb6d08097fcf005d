import { describe, expect, it } from 'vitest';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { apiCpu, dbCpu, newTestScheduler, point, windowOperator } from './fixtures.js';

function noted(value: number, time: number, message: string, series = apiCpu): MetricPoint {
  return { ...point(series, value, time), message };
}

/** Every batch the window emits for `source`, run in virtual time. */
function run(marbles: string, values: Record<string, MetricBatch>, config: Record<string, unknown> = {}): MetricPoint[] {
  const testScheduler = newTestScheduler();
  const emitted: MetricPoint[] = [];
  testScheduler.run(({ cold, flush }) => {
    const { operator } = windowOperator({ size: '10ms', aggregates: ['mean', 'max'], ...config }, testScheduler);
    cold(marbles, values).pipe(operator).subscribe((batch) => emitted.push(...batch));
    flush();
  });
  return emitted;
}

// A point's note (a plugin's first line, an HTTP error) reaches the events threshold raises
// only if the window carries it onto its figures.
describe('window processor: the last message of a window', () => {
  it('goes onto every figure of the window, the newest by event time', () => {
    const out = run('a 2ms b 2ms c 20ms |', {
      a: [noted(1, 0, 'HTTP 503 from /health')],
      // Arrives later but is stamped earlier: the note stamped 4 is the newest.
      b: [noted(0, 4, 'connection refused'), noted(1, 2, 'HTTP 500 from /health')],
      c: [point(apiCpu, 1, 5)],
    });
    expect(out.map((p) => [p.series.attributes['aggregate'], p.message])).toEqual([
      ['mean', 'connection refused'],
      ['max', 'connection refused'],
    ]);
  });

  it('belongs to its series and window: the next window and other series carry none of it', () => {
    const out = run('a 9ms b 20ms |', {
      a: [noted(1, 0, 'timeout'), point(dbCpu, 1, 0)],
      b: [point(apiCpu, 1, 10)],
    }, { aggregates: ['mean'] });
    expect(out.map((p) => [`${p.series.resource.serviceName}@${p.time}`, p.message])).toEqual([
      ['api@10', 'timeout'],
      ['db@10', undefined],
      ['api@20', undefined],
    ]);
    // Figures without a note keep the shape of every other point: no `message` key at all.
    expect(Object.keys(out[1]!)).toEqual(['series', 'value', 'time']);
  });

  it('is carried onto a partial window too', () => {
    const out = run('a 3ms |', { a: [noted(2, 0, 'CRITICAL - disk full')] }, { aggregates: ['mean'] });
    expect(out).toEqual([{ series: apiCpu.with('aggregate', 'mean', 'gauge'), value: 2, time: 10, partial: true, message: 'CRITICAL - disk full' }]);
  });
});
