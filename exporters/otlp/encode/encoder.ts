import { createRequire } from 'node:module';
import type { HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { MetricBatch, Resource } from '../../../src/index.js';
import { JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE, concatJson, concatProtobuf } from './concat.js';
import { HrTimeMemo, NO_TIME } from './hr-time.js';
import { ResourceGroup } from './resource-group.js';
import { FirstSeen } from './start-times.js';
import type { EncodedRequest, OtlpEncoder, OtlpEncoderOptions, OtlpProtocol, SkipReason } from './types.js';

/** healthpipe's own version, for the instrumentation scope (the package's self-reference works from src/ and dist/). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('healthpipe/package.json') as { version: string }).version;
}

/**
 * A value as the JSON serializer should write it: JSON has no ±Infinity (JSON.stringify
 * would write `null`), and OTLP/JSON follows protobuf's JSON mapping, which spells them as
 * the strings "Infinity" and "-Infinity".
 */
function jsonValue(value: number): number {
  return Number.isFinite(value) ? value : (String(value) as unknown as number);
}

function protobufValue(value: number): number {
  return value;
}

/**
 * Encodes our points as OTLP with the JS exporter's own serializers: the points of each
 * resource become one hand-built sdk-metrics `ResourceMetrics` (the SDK's MeterProvider
 * carries one resource and stamps its own times; ours has a resource per service instance
 * and the times the points were measured), serialized alone, and the requests of the
 * resources of a batch are concatenated into one.
 */
export function createOtlpEncoder(protocol: OtlpProtocol, options: OtlpEncoderOptions = {}): OtlpEncoder {
  const json = protocol === 'http/json';
  const serializer = json ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  const contentType = json ? JSON_CONTENT_TYPE : PROTOBUF_CONTENT_TYPE;
  const concat = json ? concatJson : concatProtobuf;
  const valueOf = json ? jsonValue : protobufValue;
  const scope: InstrumentationScope = { name: options.scopeName ?? 'healthpipe', version: options.scopeVersion ?? packageVersion() };
  const onSkipped = options.onSkipped;

  // Per resource object, its ResourceMetrics skeleton: kept while the resource lives (a
  // WeakMap entry goes with its key), so the memory follows the resources the agent has now.
  const groups = new WeakMap<Resource, ResourceGroup>();
  const firstSeen = new FirstSeen();
  const endTimes = new HrTimeMemo();
  const startTimes = new HrTimeMemo();
  let request = 0;

  function skipped(reason: SkipReason, count: number): void {
    if (count > 0) onSkipped?.(reason, count);
  }

  function encode(points: MetricBatch): EncodedRequest | undefined {
    request++;
    const touched: ResourceGroup[] = [];
    let histograms = 0;
    let nans = 0;
    try {
      // Points of one resource mostly come together (one target's scrape): remember the last.
      let lastResource: Resource | undefined;
      let group: ResourceGroup | undefined;
      for (const point of points) {
        if (point.stale === true) continue;
        const series = point.series;
        const kind = series.kind;
        if (kind === 'histogram') {
          // A point carries one number; an OTLP histogram needs a count and buckets we do not have.
          histograms++;
          continue;
        }
        const value = point.value;
        if (Number.isNaN(value)) {
          // No measurement; VictoriaMetrics would also read a NaN as a staleness marker and end the series.
          nans++;
          continue;
        }
        const resource = series.resource;
        if (resource !== lastResource || group === undefined) {
          lastResource = resource;
          group = groups.get(resource);
          if (group === undefined) {
            group = new ResourceGroup(resource, scope);
            groups.set(resource, group);
          }
        }
        if (group.request !== request) {
          group.request = request;
          touched.push(group);
        }
        const time = point.time;
        let start: HrTime;
        if (point.startTime !== undefined) start = startTimes.of(point.startTime);
        else if (kind === 'sum') start = startTimes.of(firstSeen.of(series, time));
        else start = NO_TIME;
        group.add(request, series, valueOf(value), start, endTimes.of(time));
      }
      skipped('histogram', histograms);
      skipped('nan', nans);
      return touched.length === 0 ? undefined : concat(touched.map(serialize));
    } finally {
      // Whatever happened, the next request starts from empty skeletons and holds no point of this one.
      for (const touchedGroup of touched) touchedGroup.clear();
    }
  }

  function serialize(group: ResourceGroup): EncodedRequest {
    const body = serializer.serializeRequest(group.resourceMetrics) ?? new Uint8Array(0);
    return { body, points: group.points, contentType };
  }

  return {
    encode,
    concat: (requests) => concat(requests),
  };
}
