import { NEVER, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { HealthpipeError } from '../../src/errors.js';
import { scheduleTargets } from '../../src/scheduling/index.js';
import { recording, testScheduler, type Target } from './harness.js';

describe('scheduleTargets: options', () => {
  it.each([
    ['interval', { interval: 0 }, /interval must be between 1 and/],
    ['interval', { interval: Number.NaN }, /interval must be between 1 and/],
    ['interval', { interval: 2 ** 31 }, /interval must be between 1 and/],
    ['timeout', { timeout: -5 }, /timeout must be between 1 and/],
    ['concurrency', { concurrency: 0 }, /concurrency must be a whole number of at least 1/],
    ['concurrency', { concurrency: 1.5 }, /concurrency must be a whole number of at least 1/],
  ])('rejects a bad %s when the receiver is created, naming it', (_name, bad, message) => {
    const { options } = recording(testScheduler(), bad);
    expect(() => scheduleTargets(options)).toThrow(message);
    expect(() => scheduleTargets(options)).toThrow(HealthpipeError);
  });

  it("errors the stream on a target's bad interval, without the key (it may hold credentials)", () => {
    const scheduler = testScheduler();
    const { options } = recording(scheduler, {});
    scheduler.run(({ expectObservable }) => {
      const set = of<readonly Target[]>([{ key: 'http://user:secret@host/', interval: 0 }]);
      expectObservable(set.pipe(scheduleTargets(options))).toBe(
        '#',
        undefined,
        new HealthpipeError('COMPONENT_CREATE', "scheduleTargets: a target's interval must be between 1 and 2147483647 ms, not 0"),
      );
    });
  });

  it('errors the stream when a callback of the component throws: a bug, unlike a failed check', () => {
    const scheduler = testScheduler();
    const bug = new Error('bug in onTimeout');
    const { options } = recording(scheduler, {
      spread: false,
      check: () => NEVER,
      onTimeout: () => {
        throw bug;
      },
    });
    scheduler.run(({ expectObservable }) => {
      expectObservable(of([{ key: 'a' }]).pipe(scheduleTargets(options))).toBe('5ms #', undefined, bug);
    });
  });

  it('keeps the later of two targets that share a key', () => {
    const scheduler = testScheduler();
    const urls: string[] = [];
    const { options } = recording(scheduler, {
      spread: false,
      check: (target) => {
        urls.push((target as Target & { url: string }).url);
        return of([]);
      },
    });
    scheduler.run(({ expectObservable }) => {
      const set = of([
        { key: 'a', url: 'first' },
        { key: 'a', url: 'second' },
      ]);
      expectObservable(set.pipe(scheduleTargets(options)), '^ 5ms !');
    });
    expect(urls).toEqual(['second']);
  });
});
