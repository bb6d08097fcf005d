import { afterEach, describe, expect, it } from 'vitest';
import { Resource, SeriesSet, staleMarker, type MetricPoint } from '../../../src/index.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { otlpConfigSchema } from '../../../exporters/otlp/config.js';
import { createOtlpEncoder } from '../../../exporters/otlp/encode/index.js';
import { createOtlpExporter, DELIVERY_QUEUE } from '../../../exporters/otlp/exporter.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../alertmanager/recording-server.js';
import { startOtlpReceiver, valuesOf } from './otlp-receiver.js';

const UP = { name: 'healthcheck.up', unit: '1', kind: 'gauge' } as const;
const CPU = { name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true } as const;

function service(name: string): SeriesSet {
  return new SeriesSet(new Resource({ 'service.name': name, 'service.instance.id': `${name}-1` }));
}

const api = service('api');
/** `values` as points of one gauge series of `api`, a second apart. */
const points = (...values: number[]): MetricPoint[] => values.map((value, index) => ({ series: api.get(UP), value, time: 1_700_000_000_000 + index * 1000 }));

type Receiver = Awaited<ReturnType<typeof startOtlpReceiver>>;

describe('otlp exporter', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function receiver(): Promise<Receiver> {
    const started = await startOtlpReceiver();
    cleanups.push(() => started.stop());
    return started;
  }

  function exporter(written: Record<string, unknown>, options: { env?: Record<string, string>; ctx?: TestContext } = {}) {
    const ctx = options.ctx ?? createTestContext({ id: 'otlp' });
    const config = otlpConfigSchema.parse({ linger: '0s', retry_max_interval: '200ms', ...written });
    const env = options.env ?? {};
    const created = createOtlpExporter(config, ctx, {
      env: (name) => env[name],
      encoderFor: (protocol, encoderOptions) => createOtlpEncoder(protocol, encoderOptions),
    });
    let shut = false;
    cleanups.push(async () => {
      if (!shut) await created.shutdown();
    });
    return {
      ctx,
      exporter: created,
      shutdown: async () => {
        shut = true;
        await created.shutdown();
      },
    };
  }

  it('POSTs protobuf, gzipped, to endpoint + /v1/metrics, with the points a backend reads back', async () => {
    const server = await receiver();
    const { ctx, exporter: otlp } = exporter({ endpoint: `${server.url}/otlp` });
    otlp.consume([...points(1, 0), { series: service('db').get(CPU), value: 12.5, time: 1_700_000_000_000, startTime: 1_699_999_000_000 }], 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    const [request] = server.requests;
    expect(request!.path).toBe('/otlp/v1/metrics');
    expect(request!.headers['content-type']).toBe('application/x-protobuf');
    expect(request!.headers['content-encoding']).toBe('gzip');
    expect(request!.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const [resources] = server.accepted();
    expect(resources!.map((resource) => resource.attributes['service.name'])).toEqual(['api', 'db']);
    expect(resources![1]!.metrics[0]).toMatchObject({ name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true, temporality: 2 });
    expect(valuesOf(server.accepted())).toEqual([1, 0, 12.5]);
    await eventually(() => expect(ctx.telemetry.countOf('sent')).toBe(3));
    expect(ctx.telemetry.queueSizes.get(DELIVERY_QUEUE)).toBe(0);
  });

  it('POSTs JSON to a metrics endpoint as given, uncompressed when told, with headers from the file and the environment and Basic auth from the URL', async () => {
    const server = await receiver();
    const url = new URL(`${server.url}/custom/path`);
    url.username = 'agent';
    url.password = 's3cret';
    const { ctx, exporter: otlp } = exporter(
      { metrics_endpoint: url.toString(), protocol: 'http/json', compression: 'none', headers: { 'X-Scope-OrgID': 'team-a' } },
      { env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=k1,x-scope-orgid=ignored', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://elsewhere:1' } },
    );
    otlp.consume(points(7), 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    const [request] = server.requests;
    expect(request!.path).toBe('/custom/path');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['content-encoding']).toBeUndefined();
    expect(request!.headers['x-scope-orgid']).toBe('team-a');
    expect(request!.headers['api-key']).toBe('k1');
    expect(request!.headers['authorization']).toBe(`Basic ${Buffer.from('agent:s3cret').toString('base64')}`);
    const json = JSON.parse(request!.body.toString('utf8')) as { resourceMetrics: unknown[] };
    expect(json.resourceMetrics).toHaveLength(1);
    expect(valuesOf(server.accepted())).toEqual([7]);
    // The password is in no log line.
    expect(JSON.stringify(ctx.logs.records())).not.toContain('s3cret');
  });

  it('takes protocol and endpoint from the environment when the file is silent', async () => {
    const server = await receiver();
    const { exporter: otlp } = exporter({}, { env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${server.url}/m`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    otlp.consume(points(3), 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    expect(server.requests[0]).toMatchObject({ path: '/m', headers: { 'content-type': 'application/json' } });
  });

  it('retries a 503 (honouring Retry-After) and a 429, then delivers every batch in order', async () => {
    const server = await receiver();
    server.answer((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : index === 1 ? { status: 429 } : { status: 200 }));
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url });
    otlp.consume(points(1, 2), 'metrics');
    otlp.consume(points(3), 'metrics');
    otlp.consume(points(4, 5), 'metrics');
    await eventually(() => expect(server.accepted()).not.toHaveLength(0));
    await eventually(() => expect(valuesOf(server.accepted())).toEqual([1, 2, 3, 4, 5]));
    expect(server.requests.map((request) => request.status).slice(0, 2)).toEqual([503, 429]);
    await eventually(() => expect(ctx.telemetry.countOf('sent')).toBe(5));
    expect(ctx.telemetry.counts.failed).toBe(0);
  });

  it('drops a request the backend refuses with 400, counted failed (permanent), and goes on', async () => {
    const server = await receiver();
    server.answer((index) => (index === 0 ? { status: 400, body: 'bad data' } : { status: 200 }));
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url });
    otlp.consume(points(1, 2), 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    otlp.consume(points(3), 'metrics');
    await eventually(() => expect(valuesOf(server.accepted())).toEqual([3]));
    await eventually(() => expect(ctx.telemetry.countOf('failed', { reason: 'permanent' })).toBe(2));
    expect(ctx.telemetry.countOf('sent')).toBe(1);
    expect(JSON.stringify(ctx.logs.records())).toContain('bad data');
  });

  it('counts the points of a partial success as failed (partial_success), the rest as sent, and logs its message', async () => {
    const server = await receiver();
    server.answer(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partialSuccess: { rejectedDataPoints: '2', errorMessage: 'too old' } }),
    }));
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url, protocol: 'http/json' });
    otlp.consume(points(1, 2, 3), 'metrics');
    await eventually(() => expect(ctx.telemetry.countOf('failed', { reason: 'partial_success' })).toBe(2));
    expect(ctx.telemetry.countOf('sent')).toBe(1);
    expect(JSON.stringify(ctx.logs.records())).toContain('too old');
  });

  it('reads a protobuf partial success too', async () => {
    const server = await receiver();
    // ExportMetricsServiceResponse{ partial_success{ rejected_data_points: 1, error_message: "x" } }
    const partial = Buffer.from([0x08, 0x01, 0x12, 0x01, 0x78]);
    server.answer(() => ({ status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.concat([Buffer.from([0x0a, partial.length]), partial]) }));
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url });
    otlp.consume(points(1, 2), 'metrics');
    await eventually(() => expect(ctx.telemetry.countOf('failed', { reason: 'partial_success' })).toBe(1));
    expect(ctx.telemetry.countOf('sent')).toBe(1);
  });

  it('sends no staleness marker, and no request for a batch of only markers', async () => {
    const server = await receiver();
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url, protocol: 'http/json' });
    otlp.consume([staleMarker(api.get(UP), 1_700_000_000_000)], 'metrics');
    otlp.consume([...points(5), staleMarker(service('gone').get(UP), 1_700_000_000_000)], 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    await otlp.flush();
    expect(server.requests).toHaveLength(1);
    expect(server.accepted()[0]!.map((resource) => resource.attributes['service.name'])).toEqual(['api']);
    expect(ctx.telemetry.countOf('sent')).toBe(1);
  });

  it('joins what waited during an outage into one request, up to max_request_size', async () => {
    const server = await receiver();
    server.answer((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { exporter: otlp } = exporter({ endpoint: server.url });
    otlp.consume(points(1), 'metrics');
    await eventually(() => expect(server.requests).toHaveLength(1));
    for (let value = 2; value <= 20; value += 1) otlp.consume(points(value), 'metrics');
    await eventually(() => expect(valuesOf(server.accepted())).toHaveLength(20));
    expect(valuesOf(server.accepted())).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    // The failed one and the 19 behind it went in one request.
    expect(server.requests).toHaveLength(2);
  });

  it('at its bound drops the oldest points, counted queue_full, and delivers the newest', async () => {
    const server = await receiver();
    server.answer(() => ({ status: 503 }));
    const { ctx, exporter: otlp } = exporter({ endpoint: server.url, queue: { max_points: 4 } });
    otlp.consume(points(1, 2), 'metrics');
    await eventually(() => expect(server.requests.length).toBeGreaterThan(0));
    for (const pair of [[3, 4], [5, 6], [7, 8]]) otlp.consume(points(...pair), 'metrics');
    // 1,2 may be in flight (never dropped while sent); of the rest only 4 points fit.
    await eventually(() => expect(ctx.telemetry.queueSizes.get(DELIVERY_QUEUE)).toBeLessThanOrEqual(6));
    server.answer(() => ({ status: 200 }));
    await eventually(() => expect(valuesOf(server.accepted())).toContain(8));
    await otlp.flush();
    const delivered = valuesOf(server.accepted());
    expect(delivered.slice(-4)).toEqual([5, 6, 7, 8]);
    expect(ctx.telemetry.countOf('dropped', { reason: 'queue_full' }) + delivered.length).toBe(8);
    expect(ctx.telemetry.countOf('dropped', { reason: 'queue_full' })).toBeGreaterThanOrEqual(2);
    expect(ctx.logs.records().filter((record) => String(record.message).includes('queue full'))).toHaveLength(1);
  });

  it('with disk_queue keeps what was not delivered in the store for the exporter made next', async () => {
    const server = await receiver();
    server.answer(() => ({ status: 503 }));
    const store: Store = openStore(':memory:');
    cleanups.push(() => store.close());
    const first = exporter({ endpoint: server.url, disk_queue: true }, { ctx: createTestContext({ id: 'otlp', store }) });
    first.exporter.consume(points(1, 2), 'metrics');
    first.exporter.consume(points(3), 'metrics');
    await eventually(() => expect(server.requests.length).toBeGreaterThan(0));
    await first.shutdown();
    expect(store.component('otlp').log('otlp').size()).toBeGreaterThan(0);
    server.answer(() => ({ status: 200 }));
    const second = exporter({ endpoint: server.url, disk_queue: true }, { ctx: createTestContext({ id: 'otlp', store }) });
    await eventually(() => expect(valuesOf(server.accepted())).toEqual([1, 2, 3]));
    await eventually(() => expect(second.ctx.telemetry.countOf('sent')).toBe(3));
    expect(store.component('otlp').log('otlp').size()).toBe(0);
  });

  it('flushes on shutdown; without disk_queue what the backend did not take is counted dropped (shutdown)', async () => {
    const server = await receiver();
    const delivered = exporter({ endpoint: server.url, linger: '1s' });
    delivered.exporter.consume(points(1, 2), 'metrics');
    await delivered.shutdown();
    expect(valuesOf(server.accepted())).toEqual([1, 2]);

    server.answer(() => ({ status: 503 }));
    const refused = exporter({ endpoint: server.url });
    refused.exporter.consume(points(3), 'metrics');
    await eventually(() => expect(server.requests.length).toBeGreaterThan(1));
    await refused.shutdown();
    expect(refused.ctx.telemetry.countOf('dropped', { reason: 'shutdown' })).toBe(1);
  });

  it('keeps retrying while the backend is unreachable, its points held in the queue', async () => {
    const server = await receiver();
    const url = server.url;
    await server.stop();
    const { ctx, exporter: otlp } = exporter({ endpoint: url });
    otlp.consume(points(9), 'metrics');
    await eventually(() => expect(ctx.logs.records().some((record) => String(record.message).includes('retrying'))).toBe(true));
    expect(ctx.telemetry.queueSizes.get(DELIVERY_QUEUE)).toBe(1);
  });
});
