import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../src/model/index.js';
import { SelfTelemetry } from '../../src/telemetry/self-telemetry.js';

function queueSizes(batch: MetricBatch): Array<[string, string | undefined, number]> {
  return batch
    .filter((point) => point.series.name === 'healthpipe.exporter.queue_size')
    .map((point): [string, string | undefined, number] => [
      String(point.series.attributes['component']),
      point.series.attributes['queue'] as string | undefined,
      point.value,
    ])
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
}

describe('queue size gauges', () => {
  let telemetry: SelfTelemetry;
  afterEach(async () => telemetry.shutdown());

  it('keeps two queues of one component apart, one series per queue name', async () => {
    telemetry = new SelfTelemetry('host:1');
    const otlp = telemetry.forComponent('otlp', 'exporter');
    otlp.queueSize(120, 'metrics');
    otlp.queueSize(2, 'alerts');
    otlp.queueSize(7, 'outbox');
    otlp.queueSize(100, 'metrics');
    expect(queueSizes(await telemetry.collect(1000))).toEqual([
      ['otlp', 'alerts', 2],
      ['otlp', 'metrics', 100],
      ['otlp', 'outbox', 7],
    ]);
  });

  it('still reports an unnamed queue without the queue attribute, as plugins call it', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('plugin', 'exporter').queueSize(5);
    const [point] = (await telemetry.collect(1000)).filter((p) => p.series.name === 'healthpipe.exporter.queue_size');
    expect(point?.series.attributes).toEqual({ component: 'plugin' });
    expect(point?.value).toBe(5);
  });

  it('forgets every queue of a component that left', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('otlp', 'exporter').queueSize(1, 'metrics');
    telemetry.forComponent('otlp', 'exporter').queueSize(2, 'alerts');
    telemetry.forComponent('console', 'exporter').queueSize(3, 'metrics');
    telemetry.forget('otlp', 'exporter');
    expect(queueSizes(await telemetry.collect(1000))).toEqual([['console', 'metrics', 3]]);
  });
});
