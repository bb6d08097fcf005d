import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { groupsOf, resourceMetrics } from '../../bench/otlp-bare-load.js';
import { components, loadPoints, loadSeries } from '../../bench/otlp-load-plugin.js';
import { AGENT_SENDER, BARE_SENDER, POINTS_PER_INTERVAL, RESOURCES } from '../../bench/otlp-load.js';
import type { ReceiverFactory } from '../../src/index.js';
import { createTestContext } from '../helpers/context.js';

/** The labels a series gets in VictoriaMetrics: its resource's attributes and its own, less the sender. */
function labelSet(resource: Record<string, unknown>, attributes: Record<string, unknown>, name: string): string {
  const { 'bench.sender': _sender, ...rest } = { ...resource, ...attributes };
  return `${name}${JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))}`;
}

describe('the end-to-end OTLP bench load', () => {
  it('is 1,000 resources of 10 series each, every series distinct', () => {
    const series = loadSeries(RESOURCES, AGENT_SENDER);
    expect(series).toHaveLength(POINTS_PER_INTERVAL);
    expect(new Set(series.map((one) => one.resource.identity)).size).toBe(RESOURCES);
    expect(new Set(series.map((one) => one.key)).size).toBe(POINTS_PER_INTERVAL);
    expect(new Set(series.map((one) => one.kind))).toEqual(new Set(['gauge', 'sum']));
  });

  it('makes counters that never decrease and carry their start time, from one interval to the next', () => {
    const series = loadSeries(RESOURCES, AGENT_SENDER);
    const first = loadPoints(series, 0, 1_000, 500);
    const second = loadPoints(series, 1, 2_000, 500);
    first.forEach((point, at) => {
      if (point.series.kind !== 'sum') return expect(point.startTime).toBeUndefined();
      expect(point.startTime).toBe(500);
      expect(second[at]!.value).toBeGreaterThan(point.value);
    });
  });

  it('is emitted by the bench_load receiver as one batch of 10,000 points per interval, counted as accepted', () => {
    const factory = components.find((component) => component.type === 'bench_load') as ReceiverFactory;
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const context = createTestContext({ scheduler });
    scheduler.run(({ expectObservable }) => {
      const sizes = factory.create(factory.schema.parse({}), context).pipe(map((batch) => batch.length));
      expectObservable(sizes, '^ 2500ms !').toBe('a 999ms b 999ms c', { a: POINTS_PER_INTERVAL, b: POINTS_PER_INTERVAL, c: POINTS_PER_INTERVAL });
    });
    expect(context.telemetry.countOf('accepted')).toBe(3 * POINTS_PER_INTERVAL);
  });

  it.each([10, 100])('ships, from the bare exporter at %i points per request, the same 10,000 series as the agent', (perRequest) => {
    const agent = new Set(loadSeries(RESOURCES, AGENT_SENDER).map((one) => labelSet(one.resource.attributes, one.attributes, one.name)));
    const bare = new Set<string>();
    let requests = 0;
    for (const group of groupsOf(perRequest)) {
      const request = resourceMetrics(group, 0, [1, 0], [0, 0]);
      requests++;
      expect(request.resource.attributes['bench.sender']).toBe(BARE_SENDER);
      const points = request.scopeMetrics.flatMap((scope) => scope.metrics.flatMap((metric) => metric.dataPoints.map((point) => labelSet(request.resource.attributes, point.attributes, metric.descriptor.name))));
      expect(points).toHaveLength(perRequest);
      for (const point of points) bare.add(point);
    }
    expect(requests).toBe(POINTS_PER_INTERVAL / perRequest);
    expect(bare).toEqual(agent);
  });
});
