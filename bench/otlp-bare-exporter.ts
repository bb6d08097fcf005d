import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { groupsOf, hrTime, resourceMetrics } from './otlp-bare-load.js';

/**
 * The same-run reference of the end-to-end OTLP bench (DESIGN §6: "bare JS OTLP exporter ≈ 4 µs
 * per point"): a Node child that ships the load of bench/otlp-load.ts every second with
 * OpenTelemetry's own `OTLPMetricExporter` (protobuf over HTTP) and hand-built
 * `ResourceMetrics`, as a JS program without healthpipe would. The parent reads its CPU time
 * from /proc/PID/stat; the child prints `{"sent":N,"failed":N,"backlog":N}` lines.
 *
 *   node dist/bench/otlp-bare-exporter.js URL POINTS_PER_REQUEST COMPRESSION
 *
 * POINTS_PER_REQUEST 10: the agent's shape, one request per resource (1,000 a second), which
 * is what `export(resourceMetrics)` allows, one resource per call. 100: the ten processes of a
 * host share a resource (service, instance and PID move to the points' attributes), 100
 * requests a second: the DESIGN's reference shape. The same 10,000 series either way.
 */

/** Requests in flight at once: below the exporter's own limit (30), past which it refuses. */
const MAX_IN_FLIGHT = 8;
const INTERVAL_MS = 1000;
const REPORT_MS = 250;

type Compression = NonNullable<ConstructorParameters<typeof OTLPMetricExporter>[0]>['compression'];

async function main(): Promise<void> {
  const [url, perRequestText, compression] = process.argv.slice(2);
  if (url === undefined || perRequestText === undefined) throw new Error('usage: otlp-bare-exporter URL POINTS_PER_REQUEST [gzip|none]');
  const pointsPerRequest = Number(perRequestText);
  const groups = groupsOf(pointsPerRequest);
  const exporter = new OTLPMetricExporter({ url, compression: (compression ?? 'none') as Compression, timeoutMillis: 10_000 });
  const start = hrTime(Date.now());
  const waiting: ResourceMetrics[] = [];
  let inFlight = 0;
  let sent = 0;
  let failed = 0;
  let tick = 0;

  const pump = (): void => {
    while (inFlight < MAX_IN_FLIGHT && waiting.length > 0) {
      inFlight++;
      exporter.export(waiting.shift()!, (result) => {
        inFlight--;
        if (result.code === 0) sent += pointsPerRequest;
        else failed += pointsPerRequest;
        pump();
      });
    }
  };
  const interval = setInterval(() => {
    const now = hrTime(Date.now());
    for (const group of groups) waiting.push(resourceMetrics(group, tick, now, start));
    tick++;
    pump();
  }, INTERVAL_MS);
  const report = setInterval(() => process.stdout.write(`${JSON.stringify({ sent, failed, backlog: waiting.length * pointsPerRequest })}\n`), REPORT_MS);
  process.once('SIGTERM', () => {
    clearInterval(interval);
    clearInterval(report);
    void exporter.shutdown().finally(() => process.exit(0));
  });
}

await main();
