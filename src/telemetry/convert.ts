import type { Attributes as OtelAttributes, HrTime } from '@opentelemetry/api';
import { DataPointType, type DataPoint, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricPoint } from '../model/point.js';
import type { Attributes, Series, SeriesDescriptor, SeriesSet } from '../model/series.js';

type NumberDataPoint = DataPoint<number>;

function hrTimeToMillis([seconds, nanos]: HrTime): number {
  return seconds * 1000 + nanos / 1e6;
}

/** Our attributes are primitives only; an SDK array value is kept as its JSON text. */
function toAttributes(attributes: OtelAttributes): Attributes {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return out;
}

function descriptorOf(metric: MetricData): SeriesDescriptor | undefined {
  const { name, unit, description } = metric.descriptor;
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return { name, unit, description, kind: 'sum', monotonic: metric.isMonotonic };
    case DataPointType.GAUGE:
      return { name, unit, description, kind: 'gauge' };
    default:
      // A MetricPoint carries one number; histograms need their own shape and no
      // instrument read this way records one yet.
      return undefined;
  }
}

/**
 * Turns what an SDK MetricReader collected into our points. The SDK's resource and scope
 * are dropped: the SeriesSet carries our resource and interns each metric + attributes, so
 * the same Series object comes back on every collect. Points are stamped `now`, the
 * caller's scheduler time.
 */
export class MetricPointConverter {
  /** Start time per cumulative series, fixed the first time the series is seen. */
  private readonly startTimes = new WeakMap<Series, number>();

  constructor(readonly series: SeriesSet) {}

  convert(resourceMetrics: ResourceMetrics, now: number): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const descriptor = descriptorOf(metric);
        if (descriptor === undefined) continue;
        for (const dataPoint of metric.dataPoints as ReadonlyArray<NumberDataPoint>) {
          const series = this.series.get(descriptor, toAttributes(dataPoint.attributes));
          points.push(
            descriptor.kind === 'sum'
              ? { series, value: dataPoint.value, time: now, startTime: this.startTime(series, dataPoint, now) }
              : { series, value: dataPoint.value, time: now },
          );
        }
      }
    }
    return points;
  }

  /**
   * The SDK's start time (wall clock), but never later than the first `now` it is seen at:
   * under a virtual scheduler the SDK's clock runs ahead, and a point must not start after
   * it was observed. Fixed per series so a cumulative sum never looks reset.
   */
  private startTime(series: Series, dataPoint: NumberDataPoint, now: number): number {
    let start = this.startTimes.get(series);
    if (start === undefined) {
      start = Math.min(hrTimeToMillis(dataPoint.startTime), now);
      this.startTimes.set(series, start);
    }
    return start;
  }
}
