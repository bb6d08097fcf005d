import { describe, expect, it, vi } from 'vitest';
import { POLL, QUEUE_WAIT, REQUESTS, ownCount, perTest } from './otlp-fixture.js';

/**
 * Issue 8, "What it must show" 1: points the agent sends with the `otlp` exporter arrive in
 * VictoriaMetrics with their timestamps, names, units and resource labels. The values are
 * the `counting` receiver's, known in advance (see otlp-fixture.ts).
 */

const setup = perTest();

describe('the otlp exporter into VictoriaMetrics', () => {
  it('delivers every point with its timestamp, Prometheus name with the unit, and its resource as labels', { timeout: 120_000 }, async () => {
    const { vm, fixture } = await setup.withVictoriaMetrics();
    const agent = fixture.agent({ counting: { ticks: 3, resources: 2, series: 2 }, otlp: { endpoint: vm.otlpUrl } });
    await agent.start();

    // 2 resources × (2 request series + 1 wait gauge), 3 ticks each.
    await vi.waitFor(async () => {
      const series = await vm.exportSeries('{__name__=~"test_.*"}');
      expect(series.map((one) => one.timestamps.length)).toEqual([3, 3, 3, 3, 3, 3]);
    }, POLL);
    const ticks = fixture.ticks();
    expect(ticks.map((tick) => tick.tick)).toEqual([1, 2, 3]);
    const times = ticks.map((tick) => tick.time);

    expect((await vm.metricNames()).sort()).toEqual([QUEUE_WAIT, REQUESTS]);
    const requests = await vm.exportSeries(`{__name__="${REQUESTS}"}`);
    expect(requests.map((one) => one.metric).sort(byLabels)).toEqual(
      ['checkout-0', 'checkout-1'].flatMap((service) =>
        ['/r0', '/r1'].map((route) => ({
          __name__: REQUESTS,
          service_name: service,
          service_instance_id: `${service}-i`,
          host_name: 'e2e-host',
          http_route: route,
        })),
      ).sort(byLabels),
    );
    for (const one of requests) {
      expect(one.timestamps).toEqual(times);
      expect(one.values).toEqual([1, 2, 3]);
    }

    const waits = await vm.exportSeries(`{__name__="${QUEUE_WAIT}"}`);
    expect(waits.map((one) => one.metric).sort(byLabels)).toEqual(
      ['checkout-0', 'checkout-1'].map((service) => ({
        __name__: QUEUE_WAIT,
        service_name: service,
        service_instance_id: `${service}-i`,
        host_name: 'e2e-host',
      })).sort(byLabels),
    );
    for (const one of waits) {
      expect(one.timestamps).toEqual(times);
      expect(one.values).toEqual([0.25, 0.5, 0.75]);
    }

    // The agent counts what it delivered: 18 points.
    await vi.waitFor(() => expect(ownCount(agent, 'healthpipe.exporter.sent')).toBe(18), POLL);
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});

/** Orders label sets by their sorted labels, whatever order VictoriaMetrics lists them in. */
function byLabels(a: Record<string, string>, b: Record<string, string>): number {
  const text = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
  return text(a) < text(b) ? -1 : 1;
}
