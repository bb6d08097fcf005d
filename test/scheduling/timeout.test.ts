import { NEVER, Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { scheduleTargets } from '../../src/scheduling/index.js';
import { described, ok, recording, testScheduler } from './harness.js';

const one = of([{ key: 'api' }]);

describe('scheduleTargets: timeouts', () => {
  it('cuts a check at its deadline to the virtual millisecond, aborts its signal and emits its timeout points', () => {
    const scheduler = testScheduler();
    let late = 0;
    const { options, starts, telemetry } = recording(scheduler, {
      interval: 10,
      timeout: 4,
      spread: false,
      // Answers after 6 ms, too late: its answer must never come out.
      check: (target) =>
        new Observable((subscriber) => {
          const answer = scheduler.schedule(() => {
            late++;
            subscriber.next(ok(target.key));
          }, 6);
          return () => answer.unsubscribe();
        }),
    });
    scheduler.run(({ expectObservable }) => {
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 25ms !').toBe('4ms t 9ms t 9ms t', { t: 'api:0' });
    });
    expect(late).toBe(0);
    expect(telemetry.counts.timedOut).toBe(3);
    expect(telemetry.counts.skipped).toBe(0);
    const { signal, deadline, started } = starts[0]!.check;
    expect([started, deadline]).toEqual([0, 4]);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('abandons a promise that never settles: the receiver goes on (the hung read of today stalled it for good)', () => {
    const scheduler = testScheduler();
    const { options, telemetry } = recording(scheduler, { interval: 10, timeout: 3, spread: false, check: () => new Promise(() => {}) });
    scheduler.run(({ expectObservable }) => {
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 15ms !').toBe('3ms t 9ms t', { t: 'api:0' });
    });
    expect(telemetry.counts.timedOut).toBe(2);
  });

  it('with a timeout longer than the interval, skips the ticks of a busy target and counts them', () => {
    const scheduler = testScheduler();
    const { options, telemetry, startTimes } = recording(scheduler, { interval: 10, timeout: 25, spread: false, check: () => NEVER });
    scheduler.run(({ expectObservable }) => {
      // Started at 0 and 30; the ticks at 10, 20, 40 and 50 find it busy; cut at 25 and 55.
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 59ms !').toBe('25ms t 29ms t', { t: 'api:0' });
    });
    expect(startTimes('api')).toEqual([0, 30]);
    expect(telemetry.counts.skipped).toBe(4);
    expect(telemetry.counts.timedOut).toBe(2);
  });

  it('with a timeout equal to the interval, cuts the hung check at the next tick and runs that tick', () => {
    const scheduler = testScheduler();
    const { options, telemetry, startTimes } = recording(scheduler, { interval: 10, timeout: 10, spread: false, check: () => NEVER });
    scheduler.run(({ expectObservable }) => {
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 35ms !').toBe('10ms t 9ms t 9ms t', { t: 'api:0' });
    });
    expect(startTimes('api')).toEqual([0, 10, 20, 30]);
    expect(telemetry.counts.skipped).toBe(0);
  });

  it('keeps the batches a check emitted before its deadline', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { options } = recording(scheduler, {
        interval: 10,
        timeout: 5,
        spread: false,
        check: (target) => cold('2ms x 5ms y', { x: ok(target.key), y: ok('late') }),
      });
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 9ms !').toBe('2ms x 2ms t', { x: 'api:1', t: 'api:0' });
    });
  });

  it('turns a failed check into its error points and keeps going', () => {
    const scheduler = testScheduler();
    const errors: unknown[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const { options } = recording(scheduler, {
        interval: 10,
        timeout: 5,
        spread: false,
        check: () => cold('1ms #', undefined, new Error('connection refused')),
        onError: (target, error) => {
          errors.push(error);
          return [{ ...ok(target.key)[0]!, value: -1 }];
        },
      });
      expectObservable(one.pipe(scheduleTargets(options), described()), '^ 15ms !').toBe('1ms e 9ms e', { e: 'api:-1' });
    });
    expect(errors).toEqual([new Error('connection refused'), new Error('connection refused')]);
  });
});
