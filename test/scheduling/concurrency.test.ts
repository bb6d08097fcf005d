import { NEVER, Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../src/model/point.js';
import { scheduleTargets } from '../../src/scheduling/index.js';
import { described, ok, recording, testScheduler, type Target } from './harness.js';

const set = (...keys: string[]) => of<readonly Target[]>(keys.map((key) => ({ key })));

describe('scheduleTargets: concurrency', () => {
  it('runs at most `concurrency` checks at once; the others wait their turn, first come, first served', () => {
    const scheduler = testScheduler();
    let inFlight = 0;
    let most = 0;
    const { options, starts } = recording(scheduler, {
      interval: 20,
      timeout: 10,
      spread: false,
      concurrency: 1,
      check: (target) =>
        new Observable<MetricBatch>((subscriber) => {
          most = Math.max(most, ++inFlight);
          const answer = scheduler.schedule(() => {
            subscriber.next(ok(target.key));
            inFlight--;
            subscriber.complete();
          }, 4);
          return () => answer.unsubscribe();
        }),
    });
    scheduler.run(({ expectObservable }) => {
      expectObservable(set('a', 'b', 'c').pipe(scheduleTargets(options), described()), '^ 39ms !').toBe(
        '4ms a 3ms b 3ms c 11ms a 3ms b 3ms c',
        { a: 'a:1', b: 'b:1', c: 'c:1' },
      );
    });
    expect(most).toBe(1);
    expect(starts.slice(0, 3).map(({ key, check }) => [key, check.planned, check.started])).toEqual([
      ['a', 0, 0],
      ['b', 0, 4],
      ['c', 0, 8],
    ]);
  });

  it('counts the ticks of a target still waiting for a slot as skipped, and times a check that waited from its real start', () => {
    const scheduler = testScheduler();
    const { options, starts, telemetry } = recording(scheduler, { interval: 10, timeout: 25, spread: false, concurrency: 1, check: () => NEVER });
    scheduler.run(({ expectObservable }) => {
      expectObservable(set('a', 'b').pipe(scheduleTargets(options), described()), '^ 28ms !').toBe('25ms t', { t: 'a:0' });
    });
    // a runs from 0 and b waits; at 10 and 20 both are busy; a is cut at 25 and b's turn comes.
    expect(telemetry.counts.skipped).toBe(4);
    expect(starts.map(({ key, check }) => [key, check.planned, check.started, check.deadline])).toEqual([
      ['a', 0, 0, 25],
      ['b', 0, 25, 50],
    ]);
  });

  it('takes a target that leaves out of the queue', () => {
    const scheduler = testScheduler();
    const { options, startTimes, removed } = recording(scheduler, { interval: 100, timeout: 25, spread: false, concurrency: 1, check: () => NEVER });
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly Target[]>('x 4ms y 29ms z', { x: [{ key: 'a' }, { key: 'b' }], y: [{ key: 'a' }], z: [{ key: 'a' }, { key: 'c' }] });
      expectObservable(sets.pipe(scheduleTargets(options)), '^ 40ms !');
    });
    // b waited behind a and left at 5: a's slot, free at 25, stays free until c comes at 35.
    expect(startTimes('b')).toEqual([]);
    expect(startTimes('c')).toEqual([35]);
    expect(removed).toEqual(['b']);
  });

  it('bounds nothing by default', () => {
    const scheduler = testScheduler();
    const keys = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const { options, starts } = recording(scheduler, { interval: 100, spread: false, check: () => NEVER });
    scheduler.run(({ expectObservable }) => {
      expectObservable(set(...keys).pipe(scheduleTargets(options)), '^ 1ms !');
    });
    expect(starts.map((start) => start.check.started)).toEqual(keys.map(() => 0));
  });
});
