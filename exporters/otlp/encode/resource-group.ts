import { ValueType, type HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type DataPoint, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Resource, Series } from '../../../src/index.js';

/** What a data point is to the serializers; ours are written once and only read by them. */
type NumberPoint = DataPoint<number>;

/** A Metric's data as the serializers read it; its points are set per request. */
type NumberMetricData = MetricData & { dataPoints: NumberPoint[] };

/** One OTLP Metric of a resource: its MetricData, whose points are those of the current request. */
interface MetricSlot {
  readonly data: NumberMetricData;
  /** The request `data.dataPoints` belong to: a slot is listed once per request. */
  request: number;
}

type Descriptor = Series['descriptor'];

/** More distinct metrics than this in one resource, and its slots are forgotten between requests. */
export const MAX_METRICS_PER_RESOURCE = 10_000;

/** A Metric's points between requests: none, and nothing held. */
const NO_POINTS: NumberPoint[] = [];

/**
 * A Metric's data, made once per resource and metric, in one shape for gauges and sums (a
 * gauge's `isMonotonic` is never read) so the serializer's reads of it stay monomorphic.
 */
function slotOf(descriptor: Descriptor): MetricSlot {
  const data = {
    // `valueType` DOUBLE: every value is written as `asDouble`; a counter's integer stays exact up to 2^53.
    descriptor: { name: descriptor.name, description: descriptor.description, unit: descriptor.unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: descriptor.kind === 'sum' ? DataPointType.SUM : DataPointType.GAUGE,
    isMonotonic: descriptor.monotonic,
    dataPoints: NO_POINTS,
  };
  return { data: data as NumberMetricData, request: 0 };
}

/**
 * `name`, unit, kind and (sums) monotonicity as one key: two descriptor objects that say the
 * same thing (two receivers of one metric) make one OTLP Metric, not two of the same name.
 */
function metricKey(descriptor: Descriptor): string {
  return `${descriptor.kind}${descriptor.kind === 'sum' && descriptor.monotonic ? '+' : ''}\u0000${descriptor.unit}\u0000${descriptor.name}`;
}

/**
 * The `ResourceMetrics` of one of our resources, built once and kept while the resource
 * lives: the SDK resource (its attributes, volatile ones included), the scope and one Metric
 * per name + unit + kind. A request fills the Metrics' data points, serializes, and `clear`s.
 */
export class ResourceGroup {
  readonly resourceMetrics: ResourceMetrics;
  private readonly metrics: MetricData[] = [];
  /** The slots in `metrics`, in the same order. */
  private readonly slots: MetricSlot[] = [];
  /**
   * Per descriptor object (the fast path: series of a metric share theirs; weak, so a
   * descriptor made per scrape does not pile up), then per key.
   */
  private byDescriptor = new WeakMap<Descriptor, MetricSlot>();
  private readonly byKey = new Map<string, MetricSlot>();
  /** The request this group was last put into. */
  request = 0;
  points = 0;

  constructor(resource: Resource, scope: InstrumentationScope) {
    this.resourceMetrics = {
      resource: resourceFromAttributes(resource.attributes),
      scopeMetrics: [{ scope, metrics: this.metrics }],
    };
  }

  /** The distinct Metrics (name + unit + kind) this group knows. */
  get metricCount(): number {
    return this.byKey.size;
  }

  add(request: number, series: Series, value: number, startTime: HrTime, endTime: HrTime): void {
    const descriptor = series.descriptor;
    let slot = this.byDescriptor.get(descriptor);
    if (slot === undefined) {
      const key = metricKey(descriptor);
      slot = this.byKey.get(key);
      if (slot === undefined) {
        slot = slotOf(descriptor);
        this.byKey.set(key, slot);
      }
      this.byDescriptor.set(descriptor, slot);
    }
    const point: NumberPoint = { startTime, endTime, attributes: series.attributes, value };
    if (slot.request !== request) {
      slot.request = request;
      // A new array per request, cheaper than emptying the last one (which shrinks its store).
      slot.data.dataPoints = [point];
      this.metrics.push(slot.data);
      this.slots.push(slot);
    } else slot.data.dataPoints.push(point);
    this.points++;
  }

  /** Lets go of a request's points, so nothing of it is held on. */
  clear(): void {
    for (const slot of this.slots) slot.data.dataPoints = NO_POINTS;
    this.metrics.length = 0;
    this.slots.length = 0;
    this.points = 0;
    if (this.byKey.size > MAX_METRICS_PER_RESOURCE) {
      // A resource whose metric names keep changing: start over rather than grow.
      this.byKey.clear();
      this.byDescriptor = new WeakMap();
    }
  }
}
