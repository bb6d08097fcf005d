import { describe, expect, it } from 'vitest';
import { apiLatency, apiLatencyMax, at, dbLatency, describeEvents, feed, latencyRule, lines, newTestScheduler, samples, thresholdOperator } from './fixtures.js';

// Virtual time: one frame is one millisecond. Each batch stands for a window's output: the
// mean of one series, stamped with the window's end.
describe('threshold processor: levels and events in virtual time', () => {
  it('emits an event only when the level changes, and strict `>`: exactly at a bound is not above it', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule()] }, testScheduler);
      const source = hot('a 9ms b 9ms c 9ms d 9ms e', {
        a: [at(apiLatency, 0.2, 0)],
        b: [at(apiLatency, 0.21, 10)],
        c: [at(apiLatency, 0.3, 20)],
        d: [at(apiLatency, 0.5, 30)],
        e: [at(apiLatency, 0.2, 40)],
      });
      expectObservable(source.pipe(operator, describeEvents)).toBe('10ms x 29ms y', {
        x: ['api latency info→warning firing'],
        y: ['api latency warning→info resolved'],
      });
    });
  });

  it('escalates warning → error → critical, first match from critical down, and resolves', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule()] }, testScheduler);
      const source = hot('a 9ms b 9ms c 9ms d', {
        a: [at(apiLatency, 0.3, 0)],
        b: [at(apiLatency, 0.7, 10)],
        c: [at(apiLatency, 5, 20)],
        d: [at(apiLatency, 0.1, 30)],
      });
      expectObservable(source.pipe(operator, describeEvents)).toBe('a 9ms b 9ms c 9ms d', {
        a: ['api latency info→warning firing'],
        b: ['api latency warning→error firing'],
        c: ['api latency error→critical firing'],
        d: ['api latency critical→info resolved'],
      });
    });
  });

  it('raises nothing for a breach shorter than `for`', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule({ for: '30ms' })] }, testScheduler);
      // Above error at 10, 20 and 30 (20ms of breach), back to normal at 40.
      const source = hot('10ms a 9ms b 9ms c 9ms d', {
        a: [at(apiLatency, 0.7, 10)],
        b: [at(apiLatency, 0.7, 20)],
        c: [at(apiLatency, 0.7, 30)],
        d: [at(apiLatency, 0.1, 40)],
      });
      expectObservable(source.pipe(operator, describeEvents)).toBe('');
    });
  });

  it('raises once the breach has lasted `for`, and one missing sample does not restart the count', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule({ for: '30ms' })] }, testScheduler);
      // Breach from 10; the window of 20 had no point; 30 and 40 breach: 40 − 10 ≥ 30.
      const source = hot('10ms a 19ms c 9ms d', {
        a: [at(apiLatency, 0.7, 10)],
        c: [at(apiLatency, 0.7, 30)],
        d: [at(apiLatency, 0.7, 40)],
      });
      // Watched until 100ms: a firing series expires (and resolves) only after `expire_after`.
      expectObservable(source.pipe(operator, describeEvents), '^ 100ms !').toBe('40ms x', { x: ['api latency info→error firing'] });
    });
  });

  it('restarts `for` on a sample below the level (a real sample, not a missing one)', () => {
    const events = feed({ rules: [latencyRule({ for: '30ms' })] }, samples(apiLatency, [0.7, 0.7, 0.1, 0.7, 0.7, 0.7, 0.7]));
    // Breach from 40 again: error at 70.
    expect(lines(events)).toEqual(['70: api latency info→error firing']);
  });

  it('with `for`, raises the highest level held long enough, not a newer, higher one', () => {
    const events = feed({ rules: [latencyRule({ for: '20ms' })] }, samples(apiLatency, [0.3, 0.3, 0.7, 0.7, 0.7]));
    expect(lines(events)).toEqual(['30: api latency info→warning firing', '50: api latency warning→error firing']);
  });

  it('raises one alert for a value oscillating around a bound with `recover`', () => {
    const values = [0.55, 0.45, 0.52, 0.48, 0.51, 0.46, 0.53, 0.3];
    const withRecover = feed({ rules: [latencyRule({ above: { error: 0.5 }, recover: { error: 0.4 } })] }, samples(apiLatency, values));
    expect(lines(withRecover)).toEqual(['10: api latency info→error firing', '80: api latency error→info resolved']);
    // Without it the same values fire and resolve on every crossing.
    const without = feed({ rules: [latencyRule({ above: { error: 0.5 } })], flap_detection: false }, samples(apiLatency, values));
    expect(without).toHaveLength(8);
  });

  it('recover holds each level down to its own bound on the way down', () => {
    const rule = latencyRule({ above: { warning: 0.2, error: 0.5 }, recover: { warning: 0.15, error: 0.4 } });
    const events = feed({ rules: [rule] }, samples(apiLatency, [0.6, 0.45, 0.35, 0.18, 0.15]));
    expect(lines(events)).toEqual([
      '10: api latency info→error firing',
      '30: api latency error→warning firing',
      '50: api latency warning→info resolved',
    ]);
  });

  it('holds a level for `keep_firing_for` after the value stops supporting it', () => {
    const events = feed({ rules: [latencyRule({ keep_firing_for: '20ms' })] }, samples(apiLatency, [0.7, 0.1, 0.1, 0.1]));
    expect(lines(events)).toEqual(['10: api latency info→error firing', '40: api latency error→info resolved']);
    // A sample back at the level restarts the hold.
    const again = feed({ rules: [latencyRule({ keep_firing_for: '20ms' })] }, samples(apiLatency, [0.7, 0.1, 0.7, 0.1, 0.1, 0.1]));
    expect(lines(again)).toEqual(['10: api latency info→error firing', '60: api latency error→info resolved']);
  });

  it('reads `below` with strict `<`', () => {
    const rule = { name: 'up', metric: 'healthcheck.duration', below: { warning: 0.9, critical: 0.5 } };
    const events = feed({ rules: [rule] }, samples(apiLatency, [0.9, 0.89, 0.5, 0.49, 0.95]));
    expect(lines(events)).toEqual([
      '20: api up info→warning firing',
      '40: api up warning→critical firing',
      '50: api up critical→info resolved',
    ]);
  });

  it('reads Nagios ranges: outside `10:20`, inside `@` ranges, critical first', () => {
    const rule = { name: 'temp', metric: 'healthcheck.duration', range: { warning: '10:20', critical: '@30:40' } };
    const events = feed({ rules: [rule] }, samples(apiLatency, [15, 10, 20, 21, 30, 41, 9]));
    expect(lines(events)).toEqual([
      '40: api temp info→warning firing',
      '50: api temp warning→critical firing',
      '60: api temp critical→warning firing',
    ]);
  });

  it('reads only the named aggregate and the matching series', () => {
    const rule = latencyRule({ match: { 'service.name': 'db' } });
    const events = feed({ rules: [rule] }, [
      [10, [at(apiLatency, 5, 10), at(apiLatencyMax, 5, 10), at(dbLatency, 0.7, 10)]],
    ]);
    expect(lines(events)).toEqual(['11: db latency info→error firing'.replace('11', '10')]);
  });

  it('keeps one state per series: two series change level independently, in one batch', () => {
    const events = feed({ rules: [latencyRule()] }, [
      [10, [at(apiLatency, 0.7, 10), at(dbLatency, 0.3, 10)]],
      [20, [at(apiLatency, 0.7, 20), at(dbLatency, 0.1, 20)]],
    ]);
    expect(lines(events)).toEqual(['10: api latency info→error firing', '10: db latency info→warning firing', '20: db latency warning→info resolved']);
  });

  it('neither raises nor resolves on a partial window', () => {
    const events = feed({ rules: [latencyRule()] }, [
      [10, [at(apiLatency, 5, 10, { partial: true })]],
      [20, [at(apiLatency, 0.7, 20)]],
      [30, [at(apiLatency, 0.1, 30, { partial: true })]],
    ]);
    expect(lines(events)).toEqual(['20: api latency info→error firing']);
  });

  it('maps levels to firing and resolved by `notify`: a change among unnotified levels is resolved', () => {
    const events = feed({ rules: [latencyRule({ notify: ['critical'] })] }, samples(apiLatency, [0.3, 0.7, 2, 0.7, 0.1]));
    expect(lines(events)).toEqual([
      '10: api latency info→warning resolved',
      '20: api latency warning→error resolved',
      '30: api latency error→critical firing',
      '40: api latency critical→error resolved',
      '50: api latency error→info resolved',
    ]);
  });

  it('releases its source and its timer when unsubscribed, and completes with its source', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const { operator } = thresholdOperator({ rules: [latencyRule()], no_data: '50ms' }, testScheduler);
      const source = hot('a 20ms b', { a: [at(apiLatency, 0.7, 0)], b: [at(apiLatency, 0.1, 21)] });
      expectObservable(source.pipe(operator, describeEvents), '^ 9ms !').toBe('a', { a: ['api latency info→error firing'] });
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
      const ending = cold('a 4ms |', { a: [at(apiLatency, 0.7, 0)] });
      expectObservable(ending.pipe(operator, describeEvents)).toBe('a 4ms |', { a: ['api latency info→error firing'] });
    });
  });
});
