import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { perTest, type Tick } from './otlp-fixture.js';

/**
 * Issue 8, "What it must show" 1: `protocol: http/json` (VictoriaMetrics takes protobuf only)
 * against a local server that decodes what it receives as OTLP/JSON (PROTOCOLS.md): the
 * path, headers and gzip as configured, and each point's name, unit, kind, timestamps,
 * value and resource.
 */

const POLL = { timeout: 60_000, interval: 250 };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: OtlpJsonRequest;
}

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number };
}

interface JsonDataPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string | number;
  timeUnixNano: string | number;
  asDouble?: number;
  asInt?: string | number;
}

interface JsonMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: JsonDataPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: JsonDataPoint[] };
}

interface OtlpJsonRequest {
  resourceMetrics: { resource?: { attributes?: KeyValue[] }; scopeMetrics: { metrics: JsonMetric[] }[] }[];
}

/** One point as the server decoded it. */
interface DecodedPoint {
  service: string;
  resource: Record<string, string>;
  name: string;
  unit: string;
  kind: 'sum' | 'gauge';
  monotonic?: boolean;
  temporality?: number;
  attributes: Record<string, string>;
  timeMs: number;
  startMs?: number;
  value: number;
}

/** A local OTLP/HTTP JSON receiver: records each request, answers 200 with an empty response. */
async function jsonReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      received.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(text) as OtlpJsonRequest });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, url: `http://127.0.0.1:${address.port}`, received };
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? value.doubleValue)]));
}

/** Unix nanoseconds (a decimal string in OTLP/JSON) to whole milliseconds. */
function nanosToMs(nanos: string | number): number {
  return Number(BigInt(nanos) / 1_000_000n);
}

function decode(requests: readonly Received[]): DecodedPoint[] {
  return requests.flatMap(({ body }) =>
    body.resourceMetrics.flatMap((resourceMetrics) => {
      const resource = attributesOf(resourceMetrics.resource?.attributes);
      return resourceMetrics.scopeMetrics.flatMap(({ metrics }) =>
        metrics.flatMap((metric) => {
          const kind = metric.sum === undefined ? 'gauge' : 'sum';
          const data = metric.sum ?? metric.gauge!;
          return data.dataPoints.map((point) => ({
            service: resource['service.name']!,
            resource,
            name: metric.name,
            unit: metric.unit ?? '',
            kind,
            ...(metric.sum === undefined ? {} : { monotonic: metric.sum.isMonotonic, temporality: metric.sum.aggregationTemporality }),
            attributes: attributesOf(point.attributes),
            timeMs: nanosToMs(point.timeUnixNano),
            ...(point.startTimeUnixNano === undefined ? {} : { startMs: nanosToMs(point.startTimeUnixNano) }),
            value: point.asDouble ?? Number(point.asInt),
          }));
        }),
      );
    }),
  );
}

const setup = perTest();
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
});

describe('the otlp exporter with protocol: http/json', () => {
  it('POSTs OTLP/JSON to metrics_endpoint as given, gzipped, with the configured headers', { timeout: 120_000 }, async () => {
    const receiver = await jsonReceiver();
    server = receiver.server;
    const fixture = setup.fixture();
    const agent = fixture.agent({
      counting: { ticks: 2, resources: 2 },
      otlp: {
        metricsEndpoint: `${receiver.url}/custom/metrics`,
        protocol: 'http/json',
        compression: 'gzip',
        headers: { 'x-scope-orgid': 'e2e-tenant' },
      },
    });
    await agent.start();
    // 2 resources × 2 metrics × 2 ticks.
    await vi.waitFor(() => expect(decode(receiver.received)).toHaveLength(8), POLL);

    for (const request of receiver.received) {
      expect(request.path).toBe('/custom/metrics');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(request.headers['x-scope-orgid']).toBe('e2e-tenant');
    }
    expectCountingPoints(decode(receiver.received), fixture.ticks());
    expect(await agent.stop('SIGTERM')).toBe(0);
  });

  it('appends /v1/metrics to endpoint, and sends plain JSON with compression: none', { timeout: 120_000 }, async () => {
    const receiver = await jsonReceiver();
    server = receiver.server;
    const fixture = setup.fixture();
    const agent = fixture.agent({
      counting: { ticks: 2, resources: 2 },
      otlp: { endpoint: `${receiver.url}/otlp`, protocol: 'http/json', compression: 'none' },
    });
    await agent.start();
    await vi.waitFor(() => expect(decode(receiver.received)).toHaveLength(8), POLL);

    for (const request of receiver.received) {
      expect(request.path).toBe('/otlp/v1/metrics');
      expect(request.headers['content-encoding']).toBeUndefined();
    }
    expectCountingPoints(decode(receiver.received), fixture.ticks());
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});

/** The `counting` receiver's points (otlp-fixture.ts), exactly: OTLP names and units, no Prometheus translation. */
function expectCountingPoints(points: DecodedPoint[], ticks: readonly Tick[]): void {
  expect(ticks.map((tick) => tick.tick)).toEqual([1, 2]);
  for (const service of ['checkout-0', 'checkout-1']) {
    const resource = { 'service.name': service, 'service.instance.id': `${service}-i`, 'host.name': 'e2e-host' };
    const requests = points.filter((point) => point.service === service && point.name === 'test.requests').sort(byTime);
    expect(requests.map(({ startMs, ...rest }) => rest)).toEqual(
      ticks.map((tick) => ({
        service,
        resource,
        name: 'test.requests',
        unit: '{request}',
        kind: 'sum',
        monotonic: true,
        temporality: 2, // AGGREGATION_TEMPORALITY_CUMULATIVE
        attributes: { 'http.route': '/r0' },
        timeMs: tick.time,
        value: tick.tick,
      })),
    );
    // One start for the whole count, at or before its first point.
    const starts = new Set(requests.map((point) => point.startMs));
    expect(starts.size).toBe(1);
    expect(requests[0]!.startMs).toBeLessThanOrEqual(ticks[0]!.time);

    // A gauge's start time is optional in OTLP: whether it has one is not checked.
    const waits = points.filter((point) => point.service === service && point.name === 'test.queue.wait').sort(byTime);
    expect(waits.map(({ startMs, ...rest }) => rest)).toEqual(
      ticks.map((tick) => ({
        service,
        resource,
        name: 'test.queue.wait',
        unit: 's',
        kind: 'gauge',
        attributes: {},
        timeMs: tick.time,
        value: tick.tick / 4,
      })),
    );
  }
}

function byTime(a: DecodedPoint, b: DecodedPoint): number {
  return a.timeMs - b.timeMs;
}
