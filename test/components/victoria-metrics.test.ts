import { ValueType } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startVictoriaMetrics, type RunningVictoriaMetrics } from '../helpers/victoria-metrics.js';

/**
 * The VictoriaMetrics the `otlp` exporter is tested against (DESIGN.md section 5): the
 * helper starts, stops and restarts it, and these tests pin down what it makes of an OTLP
 * request built by the real JS exporter (the helper's doc comment says it in words).
 */

// Whole milliseconds a few minutes ago, plus a sub-millisecond part VictoriaMetrics drops.
const base = Math.floor(Date.now() / 1000) * 1000 - 300_000;
const t1 = base + 1_001;
const t2 = base + 11_002;
const start = base - 60_000;

function hrTime(ms: number, extraNanos = 0): [number, number] {
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6 + extraNanos];
}

function sum(name: string, unit: string, points: [number, number, Record<string, string>][]): MetricData {
  return {
    descriptor: { name, description: '', unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: points.map(([time, value, attributes]) => ({
      startTime: hrTime(start),
      endTime: hrTime(time, 123_456),
      attributes,
      value,
    })),
  };
}

function gauge(name: string, unit: string, time: number, value: number): MetricData {
  return {
    descriptor: { name, description: '', unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: [{ startTime: hrTime(time), endTime: hrTime(time), attributes: {}, value }],
  };
}

function resourceMetrics(service: string, metrics: MetricData[]): ResourceMetrics {
  return {
    resource: resourceFromAttributes({
      'service.name': service,
      'service.instance.id': `${service}-1`,
      'host.name': 'web-01',
    }),
    scopeMetrics: [{ scope: { name: 'healthpipe-test', version: '1.0.0' }, metrics }],
  };
}

/** Exports one batch through the JS proto exporter and resolves with its result. */
async function exportWithJsExporter(url: string, batch: ResourceMetrics): Promise<ExportResult> {
  const exporter = new OTLPMetricExporter({ url, timeoutMillis: 10_000 });
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
  } finally {
    await exporter.shutdown();
  }
}

describe('VictoriaMetrics from Debian trixie, as an OTLP backend', () => {
  let vm: RunningVictoriaMetrics | undefined;
  afterEach(async () => {
    await vm?.stop();
    vm = undefined;
  });

  it('stores what the JS proto exporter sends, with Prometheus names, unit suffixes and resource attributes as labels', async () => {
    vm = await startVictoriaMetrics();
    const result = await exportWithJsExporter(
      vm.otlpMetricsUrl,
      resourceMetrics('checkout', [
        sum('http.server.requests', '{request}', [
          [t1, 5, { 'http.route': '/pay' }],
          [t2, 7, { 'http.route': '/pay' }],
        ]),
        sum('process.cpu.time', 's', [[t1, 1.5, {}]]),
        gauge('process.memory.usage', 'By', t1, 1024),
        gauge('system.cpu.utilization', '1', t1, 0.25),
      ]),
    );
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);

    const names = await vm.metricNames();
    expect(names.sort()).toEqual([
      'http_server_requests_total',
      'process_cpu_time_seconds_total',
      'process_memory_usage_bytes',
      'system_cpu_utilization_ratio',
    ]);

    const [requests, ...others] = await vm.exportSeries('{__name__="http_server_requests_total"}');
    expect(others).toEqual([]);
    expect(requests?.metric).toEqual({
      __name__: 'http_server_requests_total',
      service_name: 'checkout',
      service_instance_id: 'checkout-1',
      host_name: 'web-01',
      http_route: '/pay',
    });
    // Milliseconds, the sub-millisecond part truncated; the start time is not stored.
    expect(requests?.timestamps).toEqual([t1, t2]);
    expect(requests?.values).toEqual([5, 7]);

    const [memory] = await vm.exportSeries('{__name__="process_memory_usage_bytes"}');
    expect(memory?.values).toEqual([1024]);
    expect(memory?.timestamps).toEqual([t1]);

    // The same through the query API, at the second point's time.
    const samples = await vm.query('http_server_requests_total{service_name="checkout"}', t2 / 1000);
    expect(samples.map((sample) => sample.value[1])).toEqual(['7']);
  });

  it('keeps one resource apart from another in a request that carries both', async () => {
    vm = await startVictoriaMetrics();
    const serializer = ProtobufMetricsSerializer;
    // Two single-resource encodings, concatenated: one valid request of two ResourceMetrics.
    const body = Buffer.concat([
      Buffer.from(serializer.serializeRequest(resourceMetrics('checkout', [gauge('queue.depth', '', t1, 3)]))!),
      Buffer.from(serializer.serializeRequest(resourceMetrics('billing', [gauge('queue.depth', '', t1, 4)]))!),
    ]);
    const response = await fetch(vm.otlpMetricsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(response.status, await response.text()).toBe(200);

    const series = await vm.exportSeries('{__name__="queue_depth"}');
    const byService = Object.fromEntries(series.map((s) => [s.metric['service_name'], s.values]));
    expect(byService).toEqual({ checkout: [3], billing: [4] });
  });

  it('refuses OTLP JSON with 400', async () => {
    vm = await startVictoriaMetrics();
    const response = await fetch(vm.otlpMetricsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceMetrics: [] }),
    });
    await response.body?.cancel();
    expect(response.status).toBe(400);
  });

  it('keeps a sample sent twice as two, unless deduplication is on', async () => {
    vm = await startVictoriaMetrics();
    const batch = resourceMetrics('checkout', [gauge('queue.depth', '', t1, 3)]);
    for (let i = 0; i < 2; i++) expect((await exportWithJsExporter(vm.otlpMetricsUrl, batch)).code).toBe(ExportResultCode.SUCCESS);
    const [twice] = await vm.exportSeries('{__name__="queue_depth"}');
    expect(twice?.timestamps).toEqual([t1, t1]);
    await vm.stop();

    vm = await startVictoriaMetrics({ dedupMinScrapeInterval: '1ms' });
    for (let i = 0; i < 2; i++) expect((await exportWithJsExporter(vm.otlpMetricsUrl, batch)).code).toBe(ExportResultCode.SUCCESS);
    const [once] = await vm.exportSeries('{__name__="queue_depth"}');
    expect(once?.timestamps).toEqual([t1]);
  });

  it('keeps its data across halt() and start() on the same port, refusing connections in between', async () => {
    vm = await startVictoriaMetrics();
    const port = vm.port;
    const firstPid = vm.pid();
    expect((await exportWithJsExporter(vm.otlpMetricsUrl, resourceMetrics('checkout', [gauge('queue.depth', '', t1, 3)]))).code).toBe(
      ExportResultCode.SUCCESS,
    );
    await vm.flush();
    await vm.restart(async () => {
      const down = await exportWithJsExporter(vm!.otlpMetricsUrl, resourceMetrics('checkout', [gauge('queue.depth', '', t2, 4)]));
      expect(down.code).toBe(ExportResultCode.FAILED);
    });
    expect(vm.port).toBe(port);
    expect(vm.pid()).not.toBe(firstPid);
    const [series] = await vm.exportSeries('{__name__="queue_depth"}');
    expect(series?.timestamps).toEqual([t1]);
  });
});
