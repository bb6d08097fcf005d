import { describe, expect, it } from 'vitest';
import { EVENT_TEXT_LIMITS } from '../../../src/model/event-text.js';
import { Resource } from '../../../src/model/series.js';
import { apiLatency, apiResource, at, dbLatency, feed, figure, latencyRule, samples } from './fixtures.js';

describe('threshold processor: what an event says', () => {
  it('carries level, previous level, value, the bound as a number and as written, window, times and labels', () => {
    const rule = latencyRule({ labels: { team: 'payments' }, annotations: { runbook_url: 'https://runbooks/latency' } });
    const [raised, resolved] = feed({ rules: [rule] }, samples(apiLatency, [0.1, 0.62, 0.1], 15_000)).map(({ event }) => event);
    expect(raised).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      service: 'api',
      rule: 'latency',
      level: 'error',
      previousLevel: 'info',
      value: 0.62,
      threshold: 0.5,
      thresholdText: '0.5',
      message: 'healthcheck.duration mean 0.62 above 0.5',
      annotations: { runbook_url: 'https://runbooks/latency' },
      // The spacing of the series' points: the window's size.
      window: 15_000,
      startsAt: 30_000,
      state: 'firing',
      // Identifying attributes and the rule's labels; not the volatile PID, not `aggregate`.
      labels: { service: 'api', 'service.name': 'api', 'service.instance.id': 'api-1', team: 'payments' },
      time: 30_000,
    });
    expect(resolved).toMatchObject({
      level: 'info',
      previousLevel: 'error',
      state: 'resolved',
      value: 0.1,
      // Back at info: the value is no longer past the lowest level's bound.
      threshold: 0.2,
      message: 'healthcheck.duration mean 0.1 no longer above 0.2',
      startsAt: 45_000,
      endsAt: 45_000,
    });
    expect(resolved!.fingerprint).toBe(raised!.fingerprint);
  });

  it('reports the recover bound when a level is left through it, and the window as configured', () => {
    const rule = latencyRule({ above: { error: 0.5 }, recover: { error: 0.4 } });
    const events = feed({ rules: [rule], window: '1m' }, samples(apiLatency, [0.7, 0.3])).map(({ event }) => event);
    expect(events[1]).toMatchObject({ threshold: 0.4, thresholdText: '0.4', message: 'healthcheck.duration mean 0.3 no longer above 0.4', window: 60_000 });
  });

  it("uses the point's message when a level rises, bounded, and never in the identity", () => {
    const long = `HTTP 503 from /health ${'x'.repeat(5000)}`;
    const events = feed({ rules: [latencyRule()] }, [
      [10, [at(apiLatency, 0.7, 10, { message: long })]],
      [20, [at(apiLatency, 2, 20, { message: 'connection refused' })]],
      [30, [at(apiLatency, 0.1, 30, { message: 'connection refused' })]],
    ]).map(({ event }) => event);
    expect(events[0]!.message!.length).toBe(EVENT_TEXT_LIMITS.message);
    expect(events[0]!.message!.startsWith('HTTP 503 from /health')).toBe(true);
    expect(events[1]!.message).toBe('connection refused');
    // A stale note from a failing check would mislead on a resolve: the comparison says it.
    expect(events[2]!.message).toBe('healthcheck.duration mean 0.1 no longer above 0.2');
    expect(new Set(events.map((event) => event.fingerprint)).size).toBe(1);
  });

  it('gives each series and rule its own fingerprint, stable across runs and free of level and PID', () => {
    const first = feed({ rules: [latencyRule()] }, [[10, [at(apiLatency, 0.7, 10), at(dbLatency, 0.7, 10)]]]).map(({ event }) => event);
    const otherRule = feed({ rules: [latencyRule({ name: 'slow' })] }, [[10, [at(apiLatency, 0.7, 10)]]]).map(({ event }) => event);
    const newPid = figure(
      new Resource({ ...apiResource.attributes, 'process.pid': 99 }, { volatile: ['process.pid'] }),
      'healthcheck.duration',
    );
    const critical = feed({ rules: [latencyRule()] }, [[10, [at(newPid, 5, 10)]]]).map(({ event }) => event);
    expect(first[0]!.fingerprint).not.toBe(first[1]!.fingerprint);
    expect(otherRule[0]!.fingerprint).not.toBe(first[0]!.fingerprint);
    expect(critical[0]!.level).toBe('critical');
    expect(critical[0]!.fingerprint).toBe(first[0]!.fingerprint);
  });

  it('reports a Nagios range as written and its nearest end as the number', () => {
    const rule = { name: 'temp', metric: 'healthcheck.duration', range: { warning: '10:20' } };
    const [event] = feed({ rules: [rule] }, samples(apiLatency, [22])).map(({ event }) => event);
    expect(event).toMatchObject({ threshold: 20, thresholdText: '10:20', message: 'healthcheck.duration mean 22 outside 10:20' });
  });
});
