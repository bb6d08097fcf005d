import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch, MetricPoint } from '../../src/model/index.js';
import { SelfTelemetry } from '../../src/telemetry/self-telemetry.js';

function find(batch: MetricBatch, name: string, component: string): MetricPoint | undefined {
  return batch.find((point) => point.series.name === name && point.series.attributes['component'] === component);
}

function names(batch: MetricBatch): string[] {
  return [...new Set(batch.map((point) => point.series.name))].sort();
}

describe('SelfTelemetry', () => {
  let telemetry: SelfTelemetry;
  afterEach(async () => telemetry.shutdown());

  it('returns an empty batch when no component exists', async () => {
    telemetry = new SelfTelemetry('host:1');
    expect(await telemetry.collect(1000)).toEqual([]);
  });

  it('starts each kind with its own counters at zero', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('process', 'receiver');
    telemetry.forComponent('window', 'processor');
    telemetry.forComponent('otlp', 'exporter');
    const batch = await telemetry.collect(1000);
    expect(names(batch)).toEqual([
      'healthpipe.exporter.dropped',
      'healthpipe.exporter.send_failed',
      'healthpipe.exporter.sent',
      'healthpipe.processor.dropped',
      'healthpipe.receiver.accepted_points',
      'healthpipe.receiver.refused_points',
    ]);
    expect(batch.every((point) => point.value === 0)).toBe(true);
  });

  it('counts each reason and signal of a detail as its own series beside the plain one', async () => {
    telemetry = new SelfTelemetry('host:1');
    const window = telemetry.forComponent('window', 'processor');
    window.dropped(2, { reason: 'late' });
    window.dropped(3, { reason: 'late' });
    window.dropped(1, { reason: 'max_series' });
    const exporter = telemetry.forComponent('file', 'exporter');
    exporter.failed(4, { reason: 'refused', signal: 'alerts' });

    const batch = await telemetry.collect(1000);
    const dropped = batch.filter((point) => point.series.name === 'healthpipe.processor.dropped');
    const byReason = Object.fromEntries(dropped.map((point) => [String(point.series.attributes['reason']), point.value]));
    expect(byReason).toEqual({ undefined: 0, late: 5, max_series: 1 });
    const failed = batch.find((point) => point.series.name === 'healthpipe.exporter.send_failed' && point.value > 0);
    expect(failed?.series.attributes).toEqual({ component: 'file', reason: 'refused', signal: 'alerts' });
  });

  it('records counts as cumulative monotonic sums per component', async () => {
    telemetry = new SelfTelemetry('host:1');
    const receiver = telemetry.forComponent('health_check/api', 'receiver');
    const exporter = telemetry.forComponent('otlp', 'exporter');
    receiver.accepted(10);
    receiver.accepted(5);
    receiver.refused(2);
    exporter.sent(7);
    exporter.failed(3);
    exporter.dropped(1);

    const batch = await telemetry.collect(5000);
    const accepted = find(batch, 'healthpipe.receiver.accepted_points', 'health_check/api');
    expect(accepted?.value).toBe(15);
    expect(accepted?.time).toBe(5000);
    expect(accepted?.series.kind).toBe('sum');
    expect(accepted?.series.monotonic).toBe(true);
    expect(accepted?.series.unit).toBe('{points}');
    expect(accepted?.series.attributes).toEqual({ component: 'health_check/api' });
    expect(accepted?.startTime).toBeTypeOf('number');
    expect(accepted!.startTime!).toBeLessThanOrEqual(5000);
    expect(find(batch, 'healthpipe.receiver.refused_points', 'health_check/api')?.value).toBe(2);
    expect(find(batch, 'healthpipe.exporter.sent', 'otlp')?.value).toBe(7);
    expect(find(batch, 'healthpipe.exporter.send_failed', 'otlp')?.value).toBe(3);
    expect(find(batch, 'healthpipe.exporter.dropped', 'otlp')?.value).toBe(1);

    receiver.accepted(1);
    const next = await telemetry.collect(20_000);
    expect(find(next, 'healthpipe.receiver.accepted_points', 'health_check/api')?.value).toBe(16);
  });

  it('names a counter after the kind of the component that records it', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('threshold', 'processor').dropped(4);
    telemetry.forComponent('registry', 'receiver').dropped(1);
    const batch = await telemetry.collect(1);
    expect(find(batch, 'healthpipe.processor.dropped', 'threshold')?.value).toBe(4);
    expect(find(batch, 'healthpipe.receiver.dropped', 'registry')?.value).toBe(1);
  });

  it('ignores zero, negative and NaN counts', async () => {
    telemetry = new SelfTelemetry('host:1');
    const receiver = telemetry.forComponent('r', 'receiver');
    receiver.accepted(3);
    receiver.accepted(0);
    receiver.accepted(-5);
    receiver.accepted(Number.NaN);
    const batch = await telemetry.collect(1);
    expect(find(batch, 'healthpipe.receiver.accepted_points', 'r')?.value).toBe(3);
  });

  it('reports the last queue size as a gauge', async () => {
    telemetry = new SelfTelemetry('host:1');
    const otlp = telemetry.forComponent('otlp', 'exporter');
    const alertmanager = telemetry.forComponent('alertmanager', 'exporter');
    otlp.queueSize(120);
    otlp.queueSize(80);
    alertmanager.queueSize(3);
    const batch = await telemetry.collect(1000);
    const otlpQueue = find(batch, 'healthpipe.exporter.queue_size', 'otlp');
    expect(otlpQueue?.value).toBe(80);
    expect(otlpQueue?.series.kind).toBe('gauge');
    expect(otlpQueue?.startTime).toBeUndefined();
    expect(find(batch, 'healthpipe.exporter.queue_size', 'alertmanager')?.value).toBe(3);

    otlp.queueSize(0);
    const next = await telemetry.collect(2000);
    expect(find(next, 'healthpipe.exporter.queue_size', 'otlp')?.value).toBe(0);
  });

  it('stops reporting the queue of a component it was told to forget', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('otlp', 'exporter').queueSize(42);
    telemetry.forComponent('console', 'exporter').queueSize(1);
    telemetry.forget('otlp', 'exporter');
    const batch = await telemetry.collect(1000);
    expect(find(batch, 'healthpipe.exporter.queue_size', 'otlp')).toBeUndefined();
    expect(find(batch, 'healthpipe.exporter.queue_size', 'console')?.value).toBe(1);
  });

  it('adds the counts of the same id asked twice to one series', async () => {
    telemetry = new SelfTelemetry('host:1');
    const first = telemetry.forComponent('console', 'exporter');
    const second = telemetry.forComponent('console', 'exporter');
    first.sent(2);
    second.sent(3);
    const batch = await telemetry.collect(1);
    const sent = batch.filter((point) => point.series.name === 'healthpipe.exporter.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.value).toBe(5);
  });

  it('keeps the same id of different kinds apart', async () => {
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('file', 'receiver').accepted(1);
    telemetry.forComponent('file', 'exporter').sent(2);
    const batch = await telemetry.collect(1);
    expect(find(batch, 'healthpipe.receiver.accepted_points', 'file')?.value).toBe(1);
    expect(find(batch, 'healthpipe.exporter.sent', 'file')?.value).toBe(2);
  });

  it('interns series: the same Series object on every collect', async () => {
    telemetry = new SelfTelemetry('host:1');
    const receiver = telemetry.forComponent('process', 'receiver');
    receiver.accepted(1);
    const first = await telemetry.collect(1000);
    receiver.accepted(1);
    const second = await telemetry.collect(2000);
    const a = find(first, 'healthpipe.receiver.accepted_points', 'process');
    const b = find(second, 'healthpipe.receiver.accepted_points', 'process');
    expect(a?.series).toBe(b?.series);
    expect(a?.startTime).toBe(b?.startTime);
  });

  it("keeps the SDK's start time under a real clock", async () => {
    const before = Date.now();
    telemetry = new SelfTelemetry('host:1');
    telemetry.forComponent('process', 'receiver').accepted(1);
    const now = Date.now() + 1;
    const point = find(await telemetry.collect(now), 'healthpipe.receiver.accepted_points', 'process');
    expect(point?.startTime).toBeGreaterThanOrEqual(before - 1);
    expect(point?.startTime).toBeLessThan(now);
  });

  it('stamps the resource of this agent', async () => {
    telemetry = new SelfTelemetry('host:42');
    telemetry.forComponent('process', 'receiver');
    const [point] = await telemetry.collect(1);
    expect(point?.series.resource.attributes).toEqual({
      'service.name': 'healthpipe',
      'service.instance.id': 'host:42',
      'process.pid': process.pid,
    });
    expect(point?.series.resource).toBe(telemetry.resource);
  });

  it('refuses to collect after shutdown, and shuts down only once', async () => {
    telemetry = new SelfTelemetry('host:1');
    await telemetry.shutdown();
    await expect(telemetry.collect(1)).rejects.toThrow();
    await telemetry.shutdown();
  });
});
