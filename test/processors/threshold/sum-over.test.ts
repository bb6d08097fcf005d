import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/model/point.js';
import { apiResource, dbResource, feed, figure, lines } from './fixtures.js';

const RULE = {
  name: 'connections',
  metric: 'process.network.connection.count',
  sum_over: ['network.connection.state'],
  above: { error: 100 },
};

function count(resource: typeof apiResource, state: string, value: number, time: number, extra: Partial<MetricPoint> = {}): MetricPoint {
  return { series: figure(resource, 'process.network.connection.count', { 'network.connection.state': state }), value, time, ...extra };
}

describe('threshold processor: sum_over', () => {
  it('adds up per resource and window: each resource is one alert, each window one judgement', () => {
    const events = feed({ rules: [RULE] }, [
      [10, [count(apiResource, 'established', 60, 10), count(dbResource, 'established', 60, 10), count(apiResource, 'time_wait', 50, 10)]],
      // Two windows of api in one batch, judged apart: 60 + 30 = 90 at 20 resolves, 90 at 30 stays.
      [30, [count(apiResource, 'established', 60, 20), count(apiResource, 'time_wait', 30, 20), count(apiResource, 'established', 90, 30)]],
    ]);
    expect(lines(events)).toEqual(['10: api connections info→error firing', '30: api connections error→info resolved']);
    expect(events.map(({ event }) => [event.value, event.startsAt])).toEqual([[110, 10], [90, 20]]);
  });

  it('neither raises nor resolves on a sum with a partial member', () => {
    const events = feed({ rules: [RULE] }, [
      [10, [count(apiResource, 'established', 60, 10), count(apiResource, 'time_wait', 50, 10, { partial: true })]],
    ]);
    expect(events).toEqual([]);
  });
});
