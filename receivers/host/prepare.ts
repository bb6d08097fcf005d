import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { HOST_METRICS, isHostMetric, type HostMetricName } from './metrics.js';

/**
 * What the reader collected, narrowed to what the configuration asks for, before the core's
 * converter turns it into points:
 * - metrics that are off (or that host-metrics emits and we do not know) are left out;
 * - a metric without a unit gets the semantic conventions' one (see HOST_METRICS);
 * - a value that is not a finite number is left out: host-metrics divides by the
 *   milliseconds since its previous read, which are 0 when two reads meet in one
 *   millisecond (two `host` receivers share its module state).
 */
export function prepareHostMetrics(collected: ResourceMetrics, enabled: ReadonlySet<HostMetricName>): ResourceMetrics {
  return {
    resource: collected.resource,
    scopeMetrics: collected.scopeMetrics.map((scope) => ({
      scope: scope.scope,
      metrics: scope.metrics.flatMap((metric) => {
        const name = metric.descriptor.name;
        return isHostMetric(name) && enabled.has(name) ? [withUnitAndFiniteValues(metric, name)] : [];
      }),
    })),
  };
}

function withUnitAndFiniteValues(metric: MetricData, name: HostMetricName): MetricData {
  const unit = metric.descriptor.unit === '' ? HOST_METRICS[name].unit : metric.descriptor.unit;
  const dataPoints = (metric.dataPoints as ReadonlyArray<{ value: unknown }>).filter(
    (point) => typeof point.value === 'number' && Number.isFinite(point.value),
  );
  return { ...metric, descriptor: { ...metric.descriptor, unit }, dataPoints } as MetricData;
}
