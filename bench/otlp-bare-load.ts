import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BARE_SENDER, LOAD_METRICS, loadResourceAttributes, POINTS_PER_RESOURCE, RESOURCES } from './otlp-load.js';

/**
 * The load of bench/otlp-load.ts as OpenTelemetry's `ResourceMetrics`, built by hand as a JS
 * program without healthpipe would, for the bare exporter (bench/otlp-bare-exporter.ts): one
 * `ResourceMetrics` per request, since `export()` takes one resource per call.
 */

export interface Group {
  readonly resource: Resource;
  /** Load resources whose points this request carries. */
  readonly instances: readonly number[];
  /** Attributes of each instance's points: the metric's own, plus the instance when several share a resource. */
  readonly pointAttributes: readonly (readonly Attributes[])[];
}

export function groupsOf(pointsPerRequest: number): Group[] {
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

export function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One request's ResourceMetrics for interval `tick`: one MetricData per metric name, a data point per series. */
export function resourceMetrics(group: Group, tick: number, now: HrTime, start: HrTime): ResourceMetrics {
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
