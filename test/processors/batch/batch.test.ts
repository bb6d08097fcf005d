import { describe, expect, it } from 'vitest';
import { Subject, map, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { staleMarker, type MetricBatch, type MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { batchProcessor } from '../../../processors/batch/index.js';
import { createTestContext } from '../../helpers/context.js';

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const cpu = new SeriesSet(new Resource({ 'service.name': 'api' })).get({ name: 'cpu', unit: '1', kind: 'gauge' });

/** Points numbered by value, so an output batch reads as its values: `[1, 2, 3]`. */
function points(...numbers: number[]): MetricBatch {
  return numbers.map((value): MetricPoint => ({ series: cpu, value, time: 0 }));
}

const values = map((batch: MetricBatch) => batch.map((point) => (point.stale === true ? 'stale' : point.value)));

function batchOperator(config: Record<string, unknown>, scheduler: SchedulerLike): OperatorFunction<MetricBatch, MetricBatch> {
  return batchProcessor.create(batchProcessor.schema.parse(config), createTestContext({ id: 'batch', scheduler }));
}

describe('batch processor: when a batch leaves', () => {
  it('timeout after its first point, with every point that came meanwhile', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 3ms b 3ms c 15ms d', { a: points(1), b: points(2, 3), c: points(4), d: points(5) });
      const operator = batchOperator({ send_batch_size: 100, timeout: '10ms' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('10ms x 23ms y', { x: [1, 2, 3, 4], y: [5] });
    });
  });

  it('as soon as send_batch_size points are held; the next batch starts its own timeout', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('ab c', { a: points(1, 2), b: points(3, 4), c: points(5) });
      const operator = batchOperator({ send_batch_size: 3, timeout: '10ms' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('-x 10ms y', { x: [1, 2, 3, 4], y: [5] });
    });
  });

  it('split at send_batch_max_size; what is left waits for the timeout of its first point, not longer', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 4ms b', { a: points(1), b: points(2, 3, 4, 5, 6, 7) });
      const operator = batchOperator({ send_batch_size: 2, send_batch_max_size: 3, timeout: '10ms' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('5ms (xy) 1ms z', { x: [1, 2, 3], y: [4, 5, 6], z: [7] });
    });
  });

  it('with what it holds when the source completes (shutdown), then completes', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 2ms |', { a: points(1, 2) });
      const operator = batchOperator({ send_batch_size: 100, send_batch_max_size: 100, timeout: '10ms' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('3ms (x|)', { x: [1, 2] });
    });
  });

  it('at once with timeout 0, only split', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 4ms b', { a: points(1, 2, 3), b: points(4) });
      const operator = batchOperator({ send_batch_size: 2, send_batch_max_size: 2, timeout: '0s' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('(xy) 1ms z', { x: [1, 2], y: [3], z: [4] });
    });
  });

  it('keeps order and passes staleness markers in their place', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a b', { a: [...points(1), staleMarker(cpu, 0)], b: points(2) });
      const operator = batchOperator({ send_batch_size: 8192, timeout: '5ms' }, testScheduler);
      expectObservable(source.pipe(operator, values)).toBe('5ms x', { x: [1, 'stale', 2] });
    });
  });
});

describe('batch processor: without copies or leftovers', () => {
  it('passes a full batch that needs no split as the same object', () => {
    const testScheduler = newTestScheduler();
    const seen: MetricBatch[] = [];
    const full = points(1, 2, 3);
    const input = new Subject<MetricBatch>();
    const subscription = input.pipe(batchOperator({ send_batch_size: 3, timeout: '1s' }, testScheduler)).subscribe((batch) => seen.push(batch));
    input.next(full);
    expect(seen).toEqual([full]);
    expect(seen[0]).toBe(full);
    subscription.unsubscribe();
  });

  it('cancels its timer when unsubscribed', () => {
    const testScheduler = newTestScheduler();
    const scheduled: Subscription[] = [];
    const recording: SchedulerLike = {
      now: () => testScheduler.now(),
      schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
        const subscription = testScheduler.schedule(...args);
        scheduled.push(subscription);
        return subscription;
      },
    };
    const input = new Subject<MetricBatch>();
    const subscription = input.pipe(batchOperator({ timeout: '1s' }, recording)).subscribe();
    input.next(points(1));
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.closed).toBe(false);
    subscription.unsubscribe();
    expect(scheduled[0]!.closed).toBe(true);
  });
});

describe('batch processor: config', () => {
  it("has the collector's defaults in the schema", () => {
    expect(batchProcessor.schema.parse({})).toEqual({ send_batch_size: 8192, send_batch_max_size: 0, timeout: 200 });
  });

  it('reports every problem at once, with its path', () => {
    const paths = (config: unknown) =>
      (batchProcessor.schema.safeParse(config).error?.issues ?? []).map((issue) => issue.path.join('.') || issue.code).sort();
    expect(paths({ send_batch_size: 0, timeout: 'soon', metadata_keys: [] })).toEqual(['send_batch_size', 'timeout', 'unrecognized_keys']);
    expect(paths({ send_batch_size: 100, send_batch_max_size: 50 })).toEqual(['send_batch_max_size']);
    expect(paths({ send_batch_size: 2_000_000, timeout: '2h' })).toEqual(['send_batch_size', 'timeout']);
  });

  it('is a metrics → metrics processor named batch', () => {
    expect(batchProcessor).toMatchObject({ kind: 'processor', type: 'batch', input: 'metrics', output: 'metrics' });
  });
});
