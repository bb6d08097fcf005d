import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { collectEach } from '../../src/component/collect-each.js';
import { Resource, SeriesSet } from '../../src/model/series.js';
import type { MetricBatch } from '../../src/model/point.js';

const series = new SeriesSet(new Resource({ 'service.name': 'svc' })).get({ name: 'm', unit: '1', kind: 'gauge' });
const batch = (value: number): MetricBatch => [{ series, value, time: 0 }];

describe('collectEach', () => {
  it('skips ticks while a collect runs, turns a failed collect into nothing, and drops empty batches', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const errors: unknown[] = [];
    scheduler.run(({ cold, hot, expectObservable }) => {
      const collects: Record<string, () => ReturnType<typeof cold<MetricBatch>>> = {
        a: () => cold('--x|', { x: batch(1) }),
        c: () => cold('#', undefined, new Error('boom')),
        d: () => cold('(e|)', { e: [] }),
        f: () => cold('x|', { x: batch(2) }),
      };
      // b arrives while a's collect still runs: skipped, not queued.
      const ticks = hot('a-b---c-d-f');
      const out = ticks.pipe(
        collectEach(
          (tick: string) => collects[tick]!(),
          (error) => errors.push(error),
        ),
      );
      expectObservable(out).toBe('--x-------y', { x: batch(1), y: batch(2) });
    });
    expect(errors).toEqual([new Error('boom')]);
  });
});

describe('collectEach with a timeout', () => {
  it('cuts a collect that runs past the timeout, tells onTimeout, and lets the next tick run', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const cut: string[] = [];
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const hung = cold<MetricBatch>('-');
      const quick = cold('-x|', { x: batch(1) });
      const collects: Record<string, typeof hung> = { a: hung, b: quick };
      const ticks = hot('a-----b');
      const out = ticks.pipe(
        collectEach(
          (tick: string) => collects[tick]!,
          () => {},
          { timeout: 4, scheduler, onTimeout: (tick) => cut.push(tick) },
        ),
      );
      // Without the timeout, `a` would never end and `b` would be skipped for ever.
      expectObservable(out).toBe('-------x', { x: batch(1) });
      expectSubscriptions(hung.subscriptions).toBe('^---!');
    });
    expect(cut).toEqual(['a']);
  });
});
