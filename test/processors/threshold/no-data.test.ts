import { describe, expect, it } from 'vitest';
import { apiLatency, at, dbLatency, describeEvents, feed, latencyRule, lines, newTestScheduler, samples, thresholdOperator } from './fixtures.js';

describe('threshold processor: no data, expiry and bounds', () => {
  it('turns a series silent for no_data into unknown (firing: unknown is notified by default), and back', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule()], no_data: '30ms' }, testScheduler);
      // Last point at 10; silent from then on until 60.
      const source = hot('10ms a 49ms b', { a: [at(apiLatency, 0.7, 10)], b: [at(apiLatency, 0.1, 60)] });
      expectObservable(source.pipe(operator, describeEvents), '^ 100ms !').toBe('10ms a 29ms b 19ms c 29ms d', {
        a: ['api latency info→error firing'],
        b: ['api latency error→unknown firing'],
        c: ['api latency unknown→info resolved'],
        // Silent again after 60: silence is news whatever the level was.
        d: ['api latency info→unknown firing'],
      });
    });
  });

  it('is off without no_data: a silent series keeps its level', () => {
    const events = feed({ rules: [latencyRule()] }, samples(apiLatency, [0.7]), 10_000);
    expect(lines(events)).toEqual(['10: api latency info→error firing']);
  });

  it('counts a partial point as data: it keeps a series from going unknown', () => {
    const events = feed({ rules: [latencyRule()], no_data: '30ms' }, [
      [10, [at(apiLatency, 0.7, 10)]],
      [30, [at(apiLatency, 0.1, 30, { partial: true })]],
    ], 55);
    expect(lines(events)).toEqual(['10: api latency info→error firing']);
  });

  it('notifies unknown only when notify lists it, once a rule writes notify', () => {
    const events = feed({ rules: [latencyRule({ notify: ['error'] })], no_data: '30ms' }, samples(apiLatency, [0.7]), 100);
    expect(lines(events)).toEqual(['10: api latency info→error firing', '40: api latency error→unknown resolved']);
  });

  it('gives an unknown event no value and says how long the series was silent', () => {
    const events = feed({ rules: [latencyRule()], no_data: '30ms' }, samples(apiLatency, [0.7]), 100);
    const unknown = events[1]!.event;
    expect(unknown).toMatchObject({ level: 'unknown', previousLevel: 'error', message: 'no data for 30ms', startsAt: 40 });
    expect(unknown.value).toBeNaN();
    expect(unknown.threshold).toBeNaN();
    expect(unknown.thresholdText).toBeUndefined();
  });

  it('starts `for` afresh after unknown', () => {
    const events = feed({ rules: [latencyRule({ for: '20ms' })], no_data: '30ms' }, [
      ...samples(apiLatency, [0.7, 0.7, 0.7]),
      [80, [at(apiLatency, 0.7, 80)]],
      [90, [at(apiLatency, 0.7, 90)]],
      [100, [at(apiLatency, 0.7, 100)]],
    ]);
    expect(lines(events)).toEqual([
      '30: api latency info→error firing',
      '60: api latency error→unknown firing',
      '80: api latency unknown→info resolved',
      '100: api latency info→error firing',
    ]);
  });

  it('forgets a series silent for expire_after; a firing one resolves with a last event', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule()], expire_after: '100ms' }, testScheduler);
      const source = hot('a 4ms b', { a: [at(apiLatency, 0.7, 0), at(dbLatency, 0.1, 0)], b: [at(dbLatency, 0.1, 5)] });
      expectObservable(source.pipe(operator, describeEvents), '^ 300ms !').toBe('a 99ms b', {
        a: ['api latency info→error firing'],
        b: ['api latency error→unknown resolved'],
      });
    });
  });
});
