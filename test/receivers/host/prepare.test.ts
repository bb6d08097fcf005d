import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { prepareHostMetrics } from '../../../receivers/host/prepare.js';

function gauge(name: string, unit: string, values: number[]): MetricData {
  return {
    descriptor: { name, unit, description: '', valueType: 1, type: 'OBSERVABLE_GAUGE' },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: values.map((value, index) => ({ startTime: [0, 0], endTime: [0, 0], attributes: { n: index }, value })),
  } as MetricData;
}

function collected(...metrics: MetricData[]): ResourceMetrics {
  return { resource: {} as ResourceMetrics['resource'], scopeMetrics: [{ scope: { name: 'healthpipe.host' }, metrics }] };
}

const metricsOf = (prepared: ResourceMetrics) => prepared.scopeMetrics.flatMap((scope) => scope.metrics);

describe('prepareHostMetrics', () => {
  it("fills in the semantic conventions' unit where host-metrics gives none, and keeps one it gives", () => {
    const prepared = prepareHostMetrics(
      collected(gauge('system.memory.usage', '', [1]), gauge('system.cpu.utilization', '', [0.5]), gauge('system.cpu.time', 'ms', [1])),
      new Set(['system.memory.usage', 'system.cpu.utilization', 'system.cpu.time']),
    );
    expect(metricsOf(prepared).map((metric) => [metric.descriptor.name, metric.descriptor.unit])).toEqual([
      ['system.memory.usage', 'By'],
      ['system.cpu.utilization', '1'],
      ['system.cpu.time', 'ms'],
    ]);
  });

  it('leaves out metrics turned off and names it does not know (process.*)', () => {
    const prepared = prepareHostMetrics(
      collected(gauge('system.memory.usage', '', [1]), gauge('system.memory.utilization', '', [0.1]), gauge('process.memory.usage', '', [1])),
      new Set(['system.memory.usage']),
    );
    expect(metricsOf(prepared).map((metric) => metric.descriptor.name)).toEqual(['system.memory.usage']);
  });

  it('leaves out values that are not finite (two reads within one millisecond divide by zero)', () => {
    const prepared = prepareHostMetrics(collected(gauge('system.cpu.utilization', '', [Number.NaN, Infinity, 0.25])), new Set(['system.cpu.utilization']));
    expect(metricsOf(prepared)[0]!.dataPoints.map((point) => point.value)).toEqual([0.25]);
  });
});
