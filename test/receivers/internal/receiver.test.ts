import { take, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { internalMetrics$, type MetricSource } from '../../../receivers/internal/receiver.js';
import type { MetricBatch } from '../../../src/model/index.js';
import { Resource, SeriesSet } from '../../../src/model/index.js';
import { createTestContext } from '../../helpers/context.js';

const series = new SeriesSet(new Resource({ 'service.name': 'healthpipe' })).get(
  { name: 'healthpipe.receiver.accepted_points', unit: '{points}', kind: 'sum', monotonic: true },
  { component: 'process' },
);

function batchOf(value: number, time: number): MetricBatch {
  return [{ series, value, time, startTime: 0 }];
}

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A stand-in for SelfTelemetry: each call answers with the next planned observable. */
function scriptedSource(plan: Array<(now: number) => Observable<MetricBatch>>): MetricSource & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    collect(now: number) {
      calls.push(now);
      const next = plan[Math.min(calls.length - 1, plan.length - 1)]!;
      return next(now);
    },
  };
}

const SECOND = { collection_interval: 1000 };

describe('internal receiver', () => {
  it('collects at once and then every interval, passing the scheduler time', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = scriptedSource([(now) => cold('(a|)', { a: batchOf(1, now) })]);
      const context = createTestContext({ id: 'internal', scheduler });
      const batches$ = internalMetrics$(source, SECOND, context).pipe(take(3));
      expectObservable(batches$).toBe('a 999ms b 999ms (c|)', {
        a: batchOf(1, 0),
        b: batchOf(1, 1000),
        c: batchOf(1, 2000),
      });
      scheduler.flush();
      expect(source.calls).toEqual([0, 1000, 2000]);
    });
  });

  it('skips empty collects', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = scriptedSource([() => cold('(a|)', { a: [] }), (now) => cold('(a|)', { a: batchOf(2, now) })]);
      const context = createTestContext({ id: 'internal', scheduler });
      expectObservable(internalMetrics$(source, SECOND, context).pipe(take(1))).toBe('1000ms (b|)', {
        b: batchOf(2, 1000),
      });
    });
  });

  it('skips ticks while a slow collect is still running', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = scriptedSource([
        (now) => cold('1500ms (a|)', { a: batchOf(1, now) }),
        (now) => cold('(a|)', { a: batchOf(2, now) }),
      ]);
      const context = createTestContext({ id: 'internal', scheduler });
      expectObservable(internalMetrics$(source, SECOND, context).pipe(take(2))).toBe('1500ms a 499ms (b|)', {
        a: batchOf(1, 0),
        b: batchOf(2, 2000),
      });
      scheduler.flush();
      // The tick at 1000 fell inside the first collect and was dropped, not queued.
      expect(source.calls).toEqual([0, 2000]);
    });
  });

  it('logs a failed collect once and keeps polling', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = scriptedSource([
        () => cold('#', undefined, new Error('reader is shut down')),
        () => cold('#', undefined, new Error('reader is shut down')),
        (now) => cold('(a|)', { a: batchOf(3, now) }),
      ]);
      const context = createTestContext({ id: 'internal', scheduler });
      expectObservable(internalMetrics$(source, SECOND, context).pipe(take(1))).toBe('2000ms (c|)', {
        c: batchOf(3, 2000),
      });
      scheduler.flush();
      const warnings = context.logs.records().filter((record) => record['level'] === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.['error']).toEqual({ name: 'Error', message: 'reader is shut down' });
    });
  });

  it('stops polling when unsubscribed', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = scriptedSource([(now) => cold('(a|)', { a: batchOf(1, now) })]);
      const context = createTestContext({ id: 'internal', scheduler });
      expectObservable(internalMetrics$(source, SECOND, context), '^ 2500ms !').toBe('a 999ms b 999ms c', {
        a: batchOf(1, 0),
        b: batchOf(1, 1000),
        c: batchOf(1, 2000),
      });
      scheduler.flush();
      expect(source.calls).toEqual([0, 1000, 2000]);
    });
  });

  it('counts the points it emits as accepted', () => {
    const scheduler = newScheduler();
    const context = createTestContext({ id: 'internal', scheduler });
    scheduler.run(({ cold }) => {
      const source = scriptedSource([(now) => cold('(a|)', { a: [...batchOf(1, now), ...batchOf(2, now)] })]);
      internalMetrics$(source, SECOND, context).pipe(take(2)).subscribe();
    });
    expect(context.telemetry.counts.accepted).toBe(4);
  });
});
