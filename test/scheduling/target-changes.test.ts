import { NEVER, of, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { firstStart, phaseOf } from '../../src/scheduling/phase.js';
import { scheduleTargets } from '../../src/scheduling/index.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { described, ok, recording, result, testScheduler, type Target } from './harness.js';

describe('scheduleTargets: target changes', () => {
  it('starts a new target at once, keeps the phase of one that stays, and cancels one that leaves with its running check', () => {
    const scheduler = testScheduler();
    const { options, startTimes, starts, removed, telemetry } = recording(scheduler, {
      interval: 100,
      timeout: 80,
      spread: false,
      check: () => NEVER,
    });
    const a = { key: 'a' };
    const b = { key: 'b' };
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly Target[]>('a 49ms b 159ms c', { a: [a], b: [a, b], c: [b] });
      // a times out at 80 and 180; its check of 200 is cancelled at 210, so no timeout at 280.
      expectObservable(sets.pipe(scheduleTargets(options), described()), '^ 360ms !').toBe('80ms a 49ms b 49ms a 49ms b 99ms b', {
        a: 'a:0',
        b: 'b:0',
      });
    });
    expect(startTimes('a')).toEqual([0, 100, 200]);
    expect(startTimes('b')).toEqual([50, 150, 250, 350]);
    const cancelled = starts.filter((start) => start.key === 'a').at(-1)!.check.signal;
    expect(cancelled.aborted).toBe(true);
    expect((cancelled.reason as DOMException).name).toBe('AbortError');
    expect(removed).toEqual(['a']);
    expect(telemetry.counts.timedOut).toBe(5);
  });

  it('with spread on, starts a target that joins within its interval at its own phase', () => {
    const scheduler = testScheduler();
    const { options, startTimes } = recording(scheduler, { interval: 100, check: () => of([]) });
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly Target[]>('a 149ms b', { a: [{ key: 'api' }], b: [{ key: 'api' }, { key: 'db' }] });
      expectObservable(sets.pipe(scheduleTargets(options)), '^ 400ms !');
    });
    const joined = firstStart(150, 100, phaseOf('db', 100));
    expect(joined).toBeGreaterThanOrEqual(150);
    expect(joined).toBeLessThan(250);
    expect(startTimes('db')[0]).toBe(joined);
    expect(startTimes('api').every((time) => time % 100 === phaseOf('api', 100))).toBe(true);
  });

  it('with joinWithin, starts a target that joins a running schedule within that span, then at its phase', () => {
    const scheduler = testScheduler();
    const { options, startTimes } = recording(scheduler, { interval: 1000, joinWithin: 100, check: () => of([]) });
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly Target[]>('a 1999ms b', { a: [{ key: 'api' }], b: [{ key: 'api' }, { key: 'db' }] });
      expectObservable(sets.pipe(scheduleTargets(options)), '^ 6000ms !');
    });
    // The first set is spread over the interval as usual.
    expect(startTimes('api')[0]).toBe(phaseOf('api', 1000));
    const [first, second, ...rest] = startTimes('db');
    expect(first).toBe(firstStart(2000, 100, phaseOf('db', 100)));
    expect(first).toBeLessThan(2100);
    // Then its own phase of the interval, at least half an interval after its first check.
    expect(second).toBe(firstStart(first! + 500, 1000, phaseOf('db', 1000)));
    expect(rest.every((time, i) => time - (i === 0 ? second! : rest[i - 1]!) === 1000)).toBe(true);
    expect(rest.length).toBeGreaterThanOrEqual(2);
  });

  it('with joinWithin, spreads the sets a source gives while subscribed to (configured, then what discovery knows) over the interval', () => {
    const scheduler = testScheduler();
    const { options, startTimes } = recording(scheduler, { interval: 1000, joinWithin: 100, check: () => of([]) });
    scheduler.run(({ expectObservable }) => {
      const sets = of<Array<readonly Target[]>>([{ key: 'api' }], [{ key: 'api' }, { key: 'db' }]);
      expectObservable(sets.pipe(scheduleTargets(options)), '^ 1000ms !');
    });
    expect(startTimes('db')).toEqual([phaseOf('db', 1000)]);
  });

  it('emits the points onRemove returns for a target that left (its staleness markers)', () => {
    const scheduler = testScheduler();
    const { options } = recording(scheduler, { interval: 100, spread: false, check: () => of([]), onRemove: (target) => result(target.key, -9) });
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly Target[]>('a 49ms b', { a: [{ key: 'api' }, { key: 'db' }], b: [{ key: 'api' }] });
      expectObservable(sets.pipe(scheduleTargets(options), described()), '^ 60ms !').toBe('50ms x', { x: 'db:-9' });
    });
  });

  it('hands the newest object of a key to its next check, and re-arms a key whose interval changed', () => {
    const scheduler = testScheduler();
    const seen: string[] = [];
    const { options, startTimes } = recording(scheduler, {
      interval: 10,
      spread: false,
      check: (target) => {
        seen.push((target as Target & { url: string }).url);
        return of([]);
      },
    });
    scheduler.run(({ hot, expectObservable }) => {
      const sets = hot<readonly (Target & { url: string })[]>('a 14ms b 9ms c', {
        a: [{ key: 'api', url: 'v1' }],
        b: [{ key: 'api', url: 'v2' }],
        c: [{ key: 'api', url: 'v3', interval: 7 }],
      });
      expectObservable(sets.pipe(scheduleTargets(options)), '^ 40ms !');
    });
    // Same interval at 15: the phase stays (20); a new interval at 25 re-arms from then (spread off: at once).
    expect(startTimes('api')).toEqual([0, 10, 20, 25, 32, 39]);
    expect(seen).toEqual(['v1', 'v1', 'v2', 'v3', 'v3', 'v3']);
  });

  it('keeps scheduling the last set after the source completes, and aborts what runs on unsubscribe', () => {
    const scheduler = testScheduler();
    const { options, startTimes, starts } = recording(scheduler, { interval: 10, timeout: 5, spread: false, check: () => NEVER });
    scheduler.run(({ cold, expectObservable }) => {
      const set = cold<readonly Target[]>('(a|)', { a: [{ key: 'x', interval: 100, timeout: 100 }, { key: 'y' }] });
      expectObservable(set.pipe(scheduleTargets(options)), '^ 25ms !');
    });
    expect(startTimes('y')).toEqual([0, 10, 20]);
    const x = starts.find((start) => start.key === 'x')!.check.signal;
    expect(x.aborted).toBe(true);
    expect((x.reason as DOMException).name).toBe('AbortError');
  });
});

describe('scheduleTargets: unsubscribed from inside a check', () => {
  it('plans no more starts when a downstream take(1) unsubscribes while the check that emitted is still starting', () => {
    const scheduler = new SteppingScheduler();
    const { options, startTimes } = recording(scheduler, {
      interval: 10,
      spread: false,
      check: (target) => of(ok(target.key)),
    });
    const got: unknown[] = [];
    of([{ key: 'a' }]).pipe(scheduleTargets(options), take(1)).subscribe((batch) => got.push(batch));
    scheduler.advanceTo(100);
    expect(got).toHaveLength(1);
    expect(startTimes('a')).toEqual([0]);
    expect(scheduler.actions).toHaveLength(0);
  });
});
