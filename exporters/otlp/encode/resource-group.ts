import { ValueType, type HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type DataPoint, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Resource, Series } from '../../../src/index.js';

/** What a data point is to the serializers; ours are written once and only read by them. */
type NumberPoint = DataPoint<number>;

/** One OTLP Metric of a resource: its data points are filled for one request, then emptied. */
interface MetricSlot {
  readonly data: MetricData & { readonly dataPoints: NumberPoint[] };
  /** The request this slot was last put into, so it is listed once per request. */
  request: number;
}

type Descriptor = Series['descriptor'];

/** A gauge or a sum, never a histogram (which the encoder leaves out before it gets here). */
function metricData(descriptor: Descriptor): MetricSlot['data'] {
  const common = {
    // `valueType` DOUBLE: every value is written as `asDouble`; a counter's integer stays exact up to 2^53.
    descriptor: { name: descriptor.name, description: descriptor.description, unit: descriptor.unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints: [] as NumberPoint[],
  };
  return descriptor.kind === 'sum'
    ? { ...common, dataPointType: DataPointType.SUM, isMonotonic: descriptor.monotonic }
    : { ...common, dataPointType: DataPointType.GAUGE };
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
  /** Per descriptor object (the fast path: series of a metric share theirs), then per key. */
  private readonly byDescriptor = new Map<Descriptor, MetricSlot>();
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

  add(request: number, series: Series, value: number, startTime: HrTime, endTime: HrTime): void {
    const descriptor = series.descriptor;
    let slot = this.byDescriptor.get(descriptor);
    if (slot === undefined) {
      const key = metricKey(descriptor);
      slot = this.byKey.get(key);
      if (slot === undefined) {
        slot = { data: metricData(descriptor), request: 0 };
        this.byKey.set(key, slot);
      }
      this.byDescriptor.set(descriptor, slot);
    }
    if (slot.request !== request) {
      slot.request = request;
      this.metrics.push(slot.data);
    }
    slot.data.dataPoints.push({ startTime, endTime, attributes: series.attributes, value });
    this.points++;
  }

  /** Empties the data points after a request, so nothing of it is held on. */
  clear(): void {
    for (const metric of this.metrics) (metric.dataPoints as NumberPoint[]).length = 0;
    this.metrics.length = 0;
    this.points = 0;
  }
}
