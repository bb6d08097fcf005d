import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BARE_SENDER, LOAD_METRICS, loadResourceAttributes, POINTS_PER_RESOURCE, RESOURCES } from './otlp-load.js';

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

interface Group {
  readonly resource: Resource;
  /** Load resources whose points this request carries. */
  readonly instances: readonly number[];
  /** Attributes of each instance's points: the metric's own, plus the instance when several share a resource. */
  readonly pointAttributes: readonly (readonly Attributes[])[];
}

function groupsOf(pointsPerRequest: number): Group[] {
  const perGroup = pointsPerRequest / POINTS_PER_RESOURCE;
  if (!Number.isInteger(perGroup) || perGroup < 1 || RESOURCES % perGroup !== 0) throw new Error(`bare exporter: ${pointsPerRequest} points per request does not divide the load`);
  const groups: Group[] = [];
  for (let first = 0; first < RESOURCES; first += perGroup) {
    const instances = Array.from({ length: perGroup }, (_, offset) => first + offset);
    const attributes = instances.map((index) => loadResourceAttributes(index, BARE_SENDER));
    // The resource keeps what the group's instances share (their host); the rest moves to
    // the points, so each series has the same labels in VictoriaMetrics as the agent's.
    const shared = Object.fromEntries(Object.entries(attributes[0]!).filter(([key, value]) => attributes.every((each) => each[key] === value)));
    const pointAttributes = attributes.map((own) => {
      const moved = Object.fromEntries(Object.entries(own).filter(([key]) => !(key in shared)));
      return LOAD_METRICS.map((metric) => ({ ...metric.attributes, ...moved }));
    });
    groups.push({ resource: resourceFromAttributes(shared), instances, pointAttributes });
  }
  return groups;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One request's ResourceMetrics for interval `tick`: one MetricData per metric name, a data point per series. */
function resourceMetrics(group: Group, tick: number, now: HrTime, start: HrTime): ResourceMetrics {
  const byName = new Map<string, MetricData>();
  group.instances.forEach((instance, position) => {
    LOAD_METRICS.forEach((metric, at) => {
      let data = byName.get(metric.name);
      if (data === undefined) {
        const descriptor = { name: metric.name, unit: metric.unit, description: '', valueType: ValueType.DOUBLE };
        data =
          metric.kind === 'sum'
            ? { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: [] }
            : { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [] };
        byName.set(metric.name, data);
      }
      const value = metric.value(instance, tick);
      (data.dataPoints as { startTime: HrTime; endTime: HrTime; attributes: Attributes; value: number }[]).push({
        startTime: metric.kind === 'sum' ? start : now,
        endTime: now,
        attributes: group.pointAttributes[position]![at]!,
        value,
      });
    });
  });
  return { resource: group.resource, scopeMetrics: [{ scope: { name: 'bench' }, metrics: [...byName.values()] }] };
}

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
