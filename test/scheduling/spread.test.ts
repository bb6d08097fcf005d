import { of, timer, map, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { phaseOf, scheduleTargets } from '../../src/scheduling/index.js';
import { described, ok, recording, testScheduler, type Target } from './harness.js';

const targets = (...keys: string[]): Observable<readonly Target[]> => of(keys.map((key) => ({ key })));

describe('scheduleTargets: planned starts', () => {
  it("starts each target at its key's phase, then every interval, in virtual time", () => {
    const scheduler = testScheduler();
    const { options, startTimes } = recording(scheduler, { interval: 100, timeout: 50, check: (target) => of(ok(target.key)) });
    scheduler.run(({ expectObservable }) => {
      expectObservable(targets('api', 'db', 'web').pipe(scheduleTargets(options)), '^ 299ms !');
    });
    for (const key of ['api', 'db', 'web']) {
      const phase = phaseOf(key, 100);
      expect(startTimes(key)).toEqual([phase, phase + 100, phase + 200]);
    }
    // The three keys do not share one millisecond: the spread is what keeps 1,000 targets from starting together.
    expect(new Set(['api', 'db', 'web'].map((key) => phaseOf(key, 100))).size).toBe(3);
  });

  it('keeps the phase across a restart: phases count from the clock zero, not from the subscription', () => {
    const scheduler = testScheduler();
    const first = recording(scheduler, { interval: 100, check: () => of([]) });
    const second = recording(scheduler, { interval: 100, check: () => of([]) });
    scheduler.run(({ expectObservable }) => {
      expectObservable(targets('api').pipe(scheduleTargets(first.options)), '^ 250ms !');
      // Subscribed 137 ms later, as a receiver restarted by a reload would be.
      expectObservable(timer(137, scheduler).pipe(map(() => [{ key: 'api' }]), scheduleTargets(second.options)), '^ 450ms !');
    });
    const phase = phaseOf('api', 100);
    expect(first.startTimes('api')).toEqual([phase, phase + 100, phase + 200].filter((time) => time <= 251));
    expect(second.startTimes('api').every((time) => time % 100 === phase)).toBe(true);
    expect(second.startTimes('api')[0]).toBeGreaterThanOrEqual(137);
    expect(second.startTimes('api')[0]).toBeLessThan(237);
  });

  it("uses a target's own interval and timeout over the receiver's", () => {
    const scheduler = testScheduler();
    const { options, startTimes, starts } = recording(scheduler, { interval: 100, timeout: 50, check: () => of([]) });
    scheduler.run(({ expectObservable }) => {
      const set = of([{ key: 'fast', interval: 25, timeout: 7 }, { key: 'slow' }]);
      expectObservable(set.pipe(scheduleTargets(options)), '^ 199ms !');
    });
    const fast = phaseOf('fast', 25);
    expect(startTimes('fast')).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => fast + n * 25));
    expect(starts.find((start) => start.key === 'fast')!.check.deadline).toBe(fast + 7);
    expect(startTimes('slow')).toEqual([phaseOf('slow', 100), phaseOf('slow', 100) + 100]);
  });

  it('starts at once when spread is off, and a slow check never shifts the plan', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { options } = recording(scheduler, {
        interval: 10,
        timeout: 8,
        spread: false,
        // 7 ms each: were the next start counted from the end of the previous check, the plan would drift by 7 ms a tick.
        check: (target) => cold('7ms (x|)', { x: ok(target.key) }),
      });
      expectObservable(targets('all').pipe(scheduleTargets(options), described()), '^ 40ms !').toBe('7ms x 9ms x 9ms x 9ms x', { x: 'all:1' });
    });
  });

  it('accepts an interval of 100 ms and below', () => {
    const scheduler = testScheduler();
    const { options, startTimes } = recording(scheduler, { interval: 100, spread: false, check: () => of([]) });
    scheduler.run(({ expectObservable }) => {
      expectObservable(of([{ key: 'a' }, { key: 'b', interval: 1 }]).pipe(scheduleTargets(options)), '^ 999ms !');
    });
    expect(startTimes('a')).toHaveLength(10);
    expect(startTimes('b')).toHaveLength(1000);
  });
});
