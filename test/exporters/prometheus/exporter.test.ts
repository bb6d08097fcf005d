import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { prometheusExporter } from '../../../exporters/prometheus/index.js';
import type { Exporter } from '../../../src/component/types.js';
import { Resource, SeriesSet, type SeriesDescriptor } from '../../../src/model/series.js';
import { staleMarker, type MetricPoint } from '../../../src/model/point.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { listenOnFreePort } from '../../helpers/local-server.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { parseExposition, type Sample } from './parse-exposition.js';
import { freePort, scrape } from './scrape.js';

const CPU_TIME: SeriesDescriptor = { name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true, description: 'CPU seconds' };
const MEMORY: SeriesDescriptor = { name: 'process.memory.usage', unit: 'By', kind: 'sum', monotonic: false };
const UTILIZATION: SeriesDescriptor = { name: 'process.cpu.utilization', unit: '1', kind: 'gauge' };
const UP: SeriesDescriptor = { name: 'healthcheck.up', unit: '{check}', kind: 'gauge', description: 'back\\slash\nand "quotes"' };

const api = new Resource(
  { 'service.name': 'api', 'service.namespace': 'shop', 'service.instance.id': 'api-1', 'host.name': 'box', 'process.pid': 42 },
  { volatile: ['process.pid'] },
);
const worker = new Resource({ 'service.name': 'worker', 'service.instance.id': 'w-1' });

const running: Exporter[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((exporter) => exporter.shutdown()));
});

async function start(config: Record<string, unknown> = {}): Promise<{ exporter: Exporter; port: number; context: TestContext; scheduler: SteppingScheduler }> {
  const scheduler = new SteppingScheduler();
  const context = createTestContext({ id: 'prometheus', scheduler });
  const port = await freePort();
  const parsed = prometheusExporter.schema.parse({ endpoint: `127.0.0.1:${port}`, ...config });
  const exporter = prometheusExporter.create(parsed, context);
  running.push(exporter);
  await exporter.start!();
  return { exporter, port, context, scheduler };
}

function point(descriptor: SeriesDescriptor, value: number, attributes: Record<string, string | number | boolean> = {}, resource = api): MetricPoint {
  return { series: new SeriesSet(resource).get(descriptor, attributes), value, time: 0 };
}

/** Moves virtual time to `time`: the stepping scheduler's clock moves only with something scheduled. */
function at(scheduler: SteppingScheduler, time: number): void {
  scheduler.schedule(() => undefined, time - scheduler.now());
  scheduler.advanceTo(time);
}

async function samples(port: number): Promise<Sample[]> {
  const answer = await scrape(port);
  expect(answer.status).toBe(200);
  return parseExposition(answer.body).samples;
}

describe('the prometheus exporter', () => {
  it('serves counters with _total, gauges and up-down sums as gauges, with job, instance and HELP', async () => {
    const { exporter, port } = await start();
    exporter.consume([point(CPU_TIME, 12.5), point(MEMORY, 1024), point(UTILIZATION, 0.25)], 'metrics');
    const answer = await scrape(port);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const parsed = parseExposition(answer.body);
    expect(Object.fromEntries(parsed.types)).toEqual({
      process_cpu_time_seconds_total: 'counter',
      process_memory_usage_bytes: 'gauge',
      process_cpu_utilization_ratio: 'gauge',
      target_info: 'gauge',
    });
    expect(parsed.helps.get('process_cpu_time_seconds_total')).toBe('CPU seconds');
    const job = { job: 'shop/api', instance: 'api-1' };
    expect(parsed.samples).toEqual([
      { name: 'process_cpu_time_seconds_total', labels: job, value: 12.5 },
      { name: 'process_cpu_utilization_ratio', labels: job, value: 0.25 },
      { name: 'process_memory_usage_bytes', labels: job, value: 1024 },
      { name: 'target_info', labels: { ...job, host_name: 'box', process_pid: '42' }, value: 1 },
    ]);
    // No timestamps: Prometheus stamps the scrape.
    expect(answer.body).toContain('process_cpu_time_seconds_total{instance="api-1",job="shop/api"} 12.5\n');
  });

  it('keeps the latest value of each series, and escapes label values and HELP text', async () => {
    const { exporter, port } = await start();
    const tricky = 'a\\b "quoted"\nsecond line';
    exporter.consume([point(UP, 0, { 'check.name': tricky }), point(UP, 1, { 'check.name': 'plain' })], 'metrics');
    exporter.consume([point(UP, 1, { 'check.name': tricky })], 'metrics');
    const answer = await scrape(port);
    expect(answer.body).toContain('# HELP healthcheck_up back\\\\slash\\nand "quotes"\n');
    expect(answer.body).toContain('healthcheck_up{check_name="a\\\\b \\"quoted\\"\\nsecond line",instance="api-1",job="shop/api"} 1\n');
    const parsed = parseExposition(answer.body);
    expect(parsed.helps.get('healthcheck_up')).toBe('back\\slash\nand "quotes"');
    expect(parsed.samples.filter((sample) => sample.name === 'healthcheck_up')).toEqual([
      { name: 'healthcheck_up', labels: { check_name: tricky, instance: 'api-1', job: 'shop/api' }, value: 1 },
      { name: 'healthcheck_up', labels: { check_name: 'plain', instance: 'api-1', job: 'shop/api' }, value: 1 },
    ]);
  });

  it('joins attributes that become one label with ;, and writes NaN and infinities as Prometheus reads them', async () => {
    const { exporter, port } = await start({ target_info: false });
    exporter.consume([point(UTILIZATION, Number.POSITIVE_INFINITY, { 'a.b': 'x', a_b: 'y' }, worker), point(UTILIZATION, Number.NaN, {}, worker)], 'metrics');
    const got = await samples(port);
    expect(got[0]).toEqual({ name: 'process_cpu_utilization_ratio', labels: { a_b: 'x;y', instance: 'w-1', job: 'worker' }, value: Number.POSITIVE_INFINITY });
    expect(got[1]!.value).toBeNaN();
    expect(got).toHaveLength(2);
  });

  it('puts resource attributes on every series with resource_to_telemetry_conversion, and leaves target_info out when asked', async () => {
    const { exporter, port } = await start({ resource_to_telemetry_conversion: { enabled: true }, target_info: false, namespace: 'hp' });
    exporter.consume([point(MEMORY, 7)], 'metrics');
    expect(await samples(port)).toEqual([
      {
        name: 'hp_process_memory_usage_bytes',
        labels: {
          host_name: 'box',
          instance: 'api-1',
          job: 'shop/api',
          process_pid: '42',
          service_instance_id: 'api-1',
          service_name: 'api',
          service_namespace: 'shop',
        },
        value: 7,
      },
    ]);
  });

  it('writes one target_info per target, and none for a resource with nothing beyond job and instance', async () => {
    const { exporter, port } = await start();
    exporter.consume([point(MEMORY, 1), point(CPU_TIME, 2), point(MEMORY, 3, {}, worker)], 'metrics');
    const infos = (await samples(port)).filter((sample) => sample.name === 'target_info');
    expect(infos).toEqual([{ name: 'target_info', labels: { host_name: 'box', instance: 'api-1', job: 'shop/api', process_pid: '42' }, value: 1 }]);
  });

  it('stops serving a series not updated for metric_expiration, in virtual time', async () => {
    const { exporter, port, scheduler } = await start({ metric_expiration: '5m' });
    exporter.consume([point(MEMORY, 1), point(CPU_TIME, 1)], 'metrics');
    at(scheduler, 240_000);
    exporter.consume([point(CPU_TIME, 2)], 'metrics');
    at(scheduler, 300_000);
    expect((await samples(port)).map((sample) => sample.name)).toEqual(['process_cpu_time_seconds_total', 'process_memory_usage_bytes', 'target_info']);
    at(scheduler, 300_001);
    expect((await samples(port)).map((sample) => `${sample.name} ${sample.value}`)).toEqual(['process_cpu_time_seconds_total 2', 'target_info 1']);
    at(scheduler, 540_001);
    expect(await samples(port)).toEqual([]);
  });

  it('removes a series at once on its staleness marker, and serves it again when it comes back', async () => {
    const { exporter, port, context } = await start();
    const memory = point(MEMORY, 5);
    exporter.consume([memory, point(CPU_TIME, 1)], 'metrics');
    exporter.consume([staleMarker(memory.series, 10)], 'metrics');
    expect((await samples(port)).map((sample) => sample.name)).toEqual(['process_cpu_time_seconds_total', 'target_info']);
    exporter.consume([point(MEMORY, 6)], 'metrics');
    expect((await samples(port)).map((sample) => sample.name)).toContain('process_memory_usage_bytes');
    // The marker is not a point sent.
    expect(context.telemetry.counts.sent).toBe(3);
  });

  it('holds at most max_series: points of new series are dropped and counted until some expire', async () => {
    const { exporter, port, context, scheduler } = await start({ max_series: 2, metric_expiration: '1m' });
    exporter.consume([point(MEMORY, 1, { n: 1 }), point(MEMORY, 2, { n: 2 }), point(MEMORY, 3, { n: 3 })], 'metrics');
    exporter.consume([point(MEMORY, 20, { n: 2 })], 'metrics');
    expect((await samples(port)).filter((sample) => sample.name !== 'target_info').map((sample) => sample.value)).toEqual([1, 20]);
    expect(context.telemetry.countOf('dropped', { reason: 'max_series' })).toBe(1);
    at(scheduler, 60_001);
    exporter.consume([point(MEMORY, 3, { n: 3 })], 'metrics');
    expect((await samples(port)).filter((sample) => sample.name !== 'target_info').map((sample) => sample.labels['n'])).toEqual(['3']);
  });

  it('drops histogram points, counted, rather than serving them wrong', async () => {
    const { exporter, port, context } = await start();
    exporter.consume([point({ name: 'latency', unit: 's', kind: 'histogram' }, 1)], 'metrics');
    expect(await samples(port)).toEqual([]);
    expect(context.telemetry.countOf('dropped', { reason: 'unsupported_kind' })).toBe(1);
  });

  it('serves one sample when two series differ only in what is not exposed (a volatile PID): the latest', async () => {
    const { exporter, port } = await start({ target_info: false });
    const before = new Resource({ 'service.name': 'api', 'process.pid': 1 });
    const after = new Resource({ 'service.name': 'api', 'process.pid': 2 });
    exporter.consume([point(MEMORY, 1, {}, before)], 'metrics');
    exporter.consume([point(MEMORY, 2, {}, after)], 'metrics');
    expect(await samples(port)).toEqual([{ name: 'process_memory_usage_bytes', labels: { job: 'api' }, value: 2 }]);
  });

  it('answers HEAD without a body, 404 for another path and 405 for another method', async () => {
    const { exporter, port } = await start({ path: '/prom' });
    exporter.consume([point(MEMORY, 1)], 'metrics');
    const head = await scrape(port, '/prom', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await scrape(port, '/prom?x=1')).status).toBe(200);
    expect((await scrape(port, '/metrics')).status).toBe(404);
    const post = await scrape(port, '/prom', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('rejects its start when the port is taken, naming the address, and frees its port on shutdown', async () => {
    const holder = await listenOnFreePort(createServer());
    try {
      const context = createTestContext({ id: 'prometheus' });
      const busy = prometheusExporter.create(prometheusExporter.schema.parse({ endpoint: `127.0.0.1:${holder.port}` }), context);
      await expect(busy.start!()).rejects.toThrow(`cannot listen on 127.0.0.1:${holder.port}: address already in use (EADDRINUSE)`);
      await busy.shutdown();
    } finally {
      await holder.close();
    }
    const { exporter, port } = await start();
    // A scrape keeps its connection alive; shutdown ends it, so the port can be bound again at once.
    expect((await scrape(port)).status).toBe(200);
    await exporter.shutdown();
    running.length = 0;
    const again = prometheusExporter.create(prometheusExporter.schema.parse({ endpoint: `127.0.0.1:${port}` }), createTestContext());
    running.push(again);
    await again.start!();
  });
});

describe('the prometheus exporter config', () => {
  it('defaults to 127.0.0.1:9464/metrics, 5m expiry, target_info on', () => {
    expect(prometheusExporter.schema.parse({})).toMatchObject({
      endpoint: '127.0.0.1:9464',
      path: '/metrics',
      metric_expiration: 300_000,
      max_series: 10_000,
      target_info: true,
      resource_to_telemetry_conversion: { enabled: false },
    });
  });

  it.each(['9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'http://127.0.0.1:9464'])('refuses endpoint %s', (endpoint) => {
    expect(prometheusExporter.schema.safeParse({ endpoint }).success).toBe(false);
  });

  it('takes a bracketed IPv6 host', () => {
    expect(prometheusExporter.schema.safeParse({ endpoint: '[::1]:9464' }).success).toBe(true);
  });
});
