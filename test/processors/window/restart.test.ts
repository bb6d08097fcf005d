import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { describeBatch, newTestScheduler, point, windowOperator } from './fixtures.js';

const CPU = { name: 'cpu', unit: '1', kind: 'gauge' } as const;

/** The series a receiver makes for its target, as it does again after a restart by its hub or a reload. */
function receiverRun(pid: number) {
  const resource = new Resource({ 'service.name': 'api', 'service.instance.id': 'host-a:self', 'process.pid': pid }, { volatile: ['process.pid'] });
  return new SeriesSet(resource).get(CPU);
}

// Virtual time: one frame is one millisecond; a 10ms window covers the points stamped 0..9.
describe('window processor: series identity across receiver restarts', () => {
  it('merges the points of a restarted receiver (new Series objects, same content) into the same window', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const before = receiverRun(100);
      const after = receiverRun(100);
      expect(after).not.toBe(before);
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count', 'mean'] }, testScheduler);
      const source = hot('a 3ms b', { a: [point(before, 1, 0)], b: [point(after, 3, 4)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', {
        x: ['api/cpu count@10=2', 'api/cpu mean@10=2'],
      });
    });
  });

  it('keeps the window of a single-process target whose process restarted, and shows the new PID', () => {
    const testScheduler = newTestScheduler();
    const outputs: MetricBatch[] = [];
    // One live series allowed: a restarted receiver's series is the same series, not a second one.
    const { operator, ctx } = windowOperator({ size: '10ms', aggregates: ['count'], max_series: 1 }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 3ms b 9ms c', {
        a: [point(receiverRun(100), 1, 0)],
        b: [point(receiverRun(200), 3, 4)],
        c: [point(receiverRun(100), 5, 14)],
      });
      const output = source.pipe(operator);
      output.subscribe((batch) => outputs.push(batch));
      expectObservable(output.pipe(describeBatch)).toBe('10ms x 9ms y', { x: ['api/cpu count@10=2'], y: ['api/cpu count@20=1'] });
    });
    expect(ctx.telemetry.counts.dropped).toBe(0);
    expect(outputs.map((batch) => batch[0]!.series.resource.attributes['process.pid'])).toEqual([200, 100]);
    expect(outputs[0]![0]!.series.key).toBe(outputs[1]![0]!.series.key);
  });
});
