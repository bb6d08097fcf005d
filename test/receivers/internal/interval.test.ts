import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { internalMetrics$, type MetricSource } from '../../../receivers/internal/receiver.js';
import type { MetricBatch } from '../../../src/model/index.js';
import { Resource, SeriesSet } from '../../../src/model/index.js';
import { createTestContext } from '../../helpers/context.js';

const series = new SeriesSet(new Resource({ 'service.name': 'healthpipe' })).get({ name: 'm', unit: '1', kind: 'gauge' });

/** Answers every collect with one point whose value is the scheduler time it was asked at. */
function source(metricsInterval$: MetricSource['metricsInterval$']): MetricSource & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    ...(metricsInterval$ === undefined ? {} : { metricsInterval$ }),
    collect(now: number) {
      calls.push(now);
      return of([{ series, value: now, time: now }] as MetricBatch);
    },
  };
}

describe('internal receiver interval', () => {
  it('follows service.telemetry.metrics.interval when collection_interval is unset, and its changes', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      // The agent-wide interval is 4 ms, then a reload makes it 10 ms at 9 ms.
      const intervals = source(cold('a--------b', { a: 4, b: 10 }));
      const context = createTestContext({ scheduler });
      const values = (time: number): MetricBatch => [{ series, value: time, time }];
      expectObservable(internalMetrics$(intervals, {}, context), '^ 25ms !').toBe('a---b---cd 9ms e', {
        a: values(0),
        b: values(4),
        c: values(8),
        d: values(9),
        e: values(19),
      });
    });
  });

  it('keeps its own collection_interval when one is written', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const intervals = source(cold('a', { a: 4 }));
      const context = createTestContext({ scheduler });
      expectObservable(internalMetrics$(intervals, { collection_interval: 7 }, context), '^ 10ms !').toBe('a------b', {
        a: [{ series, value: 0, time: 0 }],
        b: [{ series, value: 7, time: 7 }],
      });
    });
  });
});
