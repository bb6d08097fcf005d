import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Counter, Gauge } from '@opentelemetry/api';
import { Resource, SeriesSet, type Series, type SeriesDescriptor } from '../src/model/series.js';
import type { MetricBatch, MetricPoint } from '../src/model/point.js';
import { createOtlpEncoder, type OtlpProtocol } from '../exporters/otlp/encode/index.js';
import type { BenchModule, BenchRow } from './types.js';
import { median } from './scheduling.js';

// The load the issue names: 1,000 resources (service instances) of 10 points each per interval.
const RESOURCES = 1_000;
const GAUGES = 6;
const SUMS = 4;
const POINTS_PER_INTERVAL = RESOURCES * (GAUGES + SUMS);
/** Points per request, as the `batch` processor sends them: 100 resources' points per request. */
const BATCH = 1_000;
const INTERVALS = 20;
const START = 1_700_000_000_000;
const INTERVAL = 15_000;

const gauges: SeriesDescriptor[] = Array.from({ length: GAUGES }, (_, i) => ({ name: `process.metric.${i}`, unit: 'By', kind: 'gauge' }));
const sums: SeriesDescriptor[] = Array.from({ length: SUMS }, (_, i) => ({ name: `process.counter.${i}`, unit: 's', kind: 'sum', monotonic: true }));

function resourceAttributes(r: number): Record<string, string | number> {
  return { 'service.name': `svc-${r % 100}`, 'service.instance.id': `inst-${r}`, 'host.name': 'bench-host', 'process.pid': 10_000 + r };
}

/** Every resource's 10 series, one per metric with one attribute, as a receiver's SeriesSet makes them. */
function buildSeries(): Series[] {
  const series: Series[] = [];
  for (let r = 0; r < RESOURCES; r++) {
    const set = new SeriesSet(new Resource(resourceAttributes(r), { volatile: ['process.pid'] }));
    for (const descriptor of [...gauges, ...sums]) series.push(set.get(descriptor, { state: 'used' }));
  }
  return series;
}

/** Each interval's points, split into batches of BATCH: the points of a resource come together, as a scrape makes them. */
function buildBatches(series: readonly Series[]): MetricBatch[] {
  const batches: MetricBatch[] = [];
  for (let interval = 0; interval < INTERVALS; interval++) {
    const time = START + interval * INTERVAL;
    for (let from = 0; from < series.length; from += BATCH) {
      const points: MetricPoint[] = [];
      for (let i = from; i < from + BATCH; i++) {
        const s = series[i]!;
        points.push(s.kind === 'sum' ? { series: s, value: interval * 10 + i, time, startTime: START - 60_000 } : { series: s, value: (i % 1000) / 7, time });
      }
      batches.push(points);
    }
  }
  return batches;
}

function cpuMicros(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** After one run for the JIT, the median of three: µs of CPU per point. */
function microsPerPoint(points: number, work: () => void): number {
  work();
  return median([0, 1, 2].map(() => cpuMicros(work) / points));
}

function ourEncoder(protocol: OtlpProtocol, batches: readonly MetricBatch[]): { micros: number; bytesPerPoint: number } {
  const encoder = createOtlpEncoder(protocol);
  let bytes = 0;
  const micros = microsPerPoint(INTERVALS * POINTS_PER_INTERVAL, () => {
    bytes = 0;
    for (const batch of batches) bytes += encoder.encode(batch)!.body.length;
  });
  return { micros, bytesPerPoint: bytes / (INTERVALS * POINTS_PER_INTERVAL) };
}

/** Our encoder one resource at a time, the requests then concatenated BATCH points at a time (what a per-resource cache of encodings would feed). */
function perResourceThenConcat(batches: readonly MetricBatch[]): number {
  const encoder = createOtlpEncoder('http/protobuf');
  const perResource = GAUGES + SUMS;
  return microsPerPoint(INTERVALS * POINTS_PER_INTERVAL, () => {
    for (const batch of batches) {
      const requests = [];
      for (let from = 0; from < batch.length; from += perResource) requests.push(encoder.encode(batch.slice(from, from + perResource))!);
      encoder.concat(requests);
    }
  });
}

class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

interface SdkInstance {
  readonly reader: PullReader;
  readonly gauges: Gauge[];
  readonly counters: Counter[];
}

/** The bare JS path: one MeterProvider per resource (the SDK has one resource per provider), its instruments recorded, collected, serialized by the exporter's serializer. */
function buildSdk(): SdkInstance[] {
  const instances: SdkInstance[] = [];
  for (let r = 0; r < RESOURCES; r++) {
    const reader = new PullReader();
    const provider = new MeterProvider({ resource: resourceFromAttributes(resourceAttributes(r)), readers: [reader] });
    const meter = provider.getMeter('bench', '1.0.0');
    instances.push({
      reader,
      gauges: gauges.map((descriptor) => meter.createGauge(descriptor.name, { unit: descriptor.unit })),
      counters: sums.map((descriptor) => meter.createCounter(descriptor.name, { unit: descriptor.unit })),
    });
  }
  return instances;
}

async function collectAll(instances: readonly SdkInstance[]): Promise<ResourceMetrics[]> {
  const collected: ResourceMetrics[] = [];
  for (const instance of instances) collected.push((await instance.reader.collect()).resourceMetrics);
  return collected;
}

async function sdkMicrosPerPoint(instances: readonly SdkInstance[]): Promise<{ whole: number; serializeOnly: number }> {
  const attributes = { state: 'used' };
  const interval = async (): Promise<{ micros: number; collected: ResourceMetrics[] }> => {
    const before = process.cpuUsage();
    for (const instance of instances) {
      for (const gauge of instance.gauges) gauge.record(Math.random() * 1000, attributes);
      for (const counter of instance.counters) counter.add(1, attributes);
    }
    const collected = await collectAll(instances);
    for (const resourceMetrics of collected) ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    const used = process.cpuUsage(before);
    return { micros: used.user + used.system, collected };
  };
  const serializeOnly = (collected: readonly ResourceMetrics[]): number =>
    cpuMicros(() => {
      for (let i = 0; i < INTERVALS; i++) for (const resourceMetrics of collected) ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    }) /
    (INTERVALS * POINTS_PER_INTERVAL);
  const wholeRuns: number[] = [];
  let last: ResourceMetrics[] = [];
  for (let run = 0; run < 4; run++) {
    let micros = 0;
    for (let i = 0; i < INTERVALS; i++) {
      const measured = await interval();
      micros += measured.micros;
      last = measured.collected;
    }
    if (run > 0) wholeRuns.push(micros / (INTERVALS * POINTS_PER_INTERVAL));
  }
  serializeOnly(last);
  return { whole: median(wholeRuns), serializeOnly: median([0, 1, 2].map(() => serializeOnly(last))) };
}

/** The figure DESIGN §6 quotes: one MeterProvider (one resource), 100 points per collect and request. */
async function singleProviderMicrosPerPoint(): Promise<number> {
  const reader = new PullReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes(resourceAttributes(0)), readers: [reader] });
  const meter = provider.getMeter('bench', '1.0.0');
  const gaugeInstruments = gauges.map((descriptor) => meter.createGauge(descriptor.name, { unit: descriptor.unit }));
  const counterInstruments = sums.map((descriptor) => meter.createCounter(descriptor.name, { unit: descriptor.unit }));
  const attributeSets = Array.from({ length: 10 }, (_, i) => ({ state: `state-${i}` }));
  const requests = 1_000;
  const runOnce = async (): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      for (const attributes of attributeSets) {
        for (const gauge of gaugeInstruments) gauge.record(i, attributes);
        for (const counter of counterInstruments) counter.add(1, attributes);
      }
      ProtobufMetricsSerializer.serializeRequest((await reader.collect()).resourceMetrics);
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / (requests * attributeSets.length * (GAUGES + SUMS));
  };
  await runOnce();
  const figures: number[] = [];
  for (let run = 0; run < 3; run++) figures.push(await runOnce());
  await provider.shutdown();
  return median(figures);
}

export const run: BenchModule = async () => {
  const batches = buildBatches(buildSeries());
  const protobuf = ourEncoder('http/protobuf', batches);
  const json = ourEncoder('http/json', batches);
  const concatenated = perResourceThenConcat(batches);
  const sdk = await sdkMicrosPerPoint(buildSdk());
  const single = await singleProviderMicrosPerPoint();
  const load = `${RESOURCES.toLocaleString('en-US')} resources × ${GAUGES + SUMS} points (${GAUGES} gauges, ${SUMS} cumulative sums)`;
  const rows: BenchRow[] = [
    { name: 'otlp encoder, http/protobuf', value: protobuf.micros, unit: 'µs CPU per point', role: 'measured', note: `${load}, ${BATCH.toLocaleString('en-US')} points per request; ${protobuf.bytesPerPoint.toFixed(0)} bytes per point` },
    { name: 'otlp encoder, http/json', value: json.micros, unit: 'µs CPU per point', role: 'measured', note: `the same; ${json.bytesPerPoint.toFixed(0)} bytes per point` },
    { name: 'otlp encoder, one resource per encode, then concat', value: concatenated, unit: 'µs CPU per point', role: 'measured', note: 'protobuf; 100 single-resource requests concatenated per request' },
    { name: 'bare JS exporter: MeterProvider record + collect + protobuf serializer', value: sdk.whole, unit: 'µs CPU per point', role: 'reference', note: 'one MeterProvider per resource (its only way to carry 1,000 resources); exporter-metrics-otlp-proto serializer, no HTTP' },
    { name: 'bare JS exporter, one resource: record + collect + protobuf serializer', value: single, unit: 'µs CPU per point', role: 'reference', note: 'one MeterProvider, 100 points per request (the DESIGN §6 reference, ≈ 4 µs)' },
    { name: "bare JS exporter's protobuf serialization alone", value: sdk.serializeOnly, unit: 'µs CPU per point', role: 'reference', note: 'ProtobufMetricsSerializer on the collected ResourceMetrics' },
  ];
  return {
    title: 'OTLP encoding',
    target: 'the whole agent ≥ 150,000 points per CPU-second end to end (≈ 6.7 µs per point for everything); bare JS exporter ≈ 4 µs per point, its protobuf encoding ≈ 1 µs',
    rows,
  };
};
