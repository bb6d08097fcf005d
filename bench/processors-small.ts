import { map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { MetricBatch } from '../src/model/point.js';
import { filterProcessor } from '../processors/filter/index.js';
import { compileMatcher } from '../processors/filter/matcher.js';
import { attributesProcessor } from '../processors/attributes/index.js';
import { batchProcessor } from '../processors/batch/index.js';
import type { ProcessorFactory } from '../src/component/types.js';
import { createTestContext } from '../test/helpers/context.js';
import { BenchClock, buildBatches, buildSeries, feedOnClock, type TimedBatch } from './window.js';
import { median } from './scheduling.js';
import type { BenchModule, BenchRow } from './types.js';

const POINTS = 1_000_000;

type Make = (scheduler: SchedulerLike) => OperatorFunction<MetricBatch, MetricBatch>;

const FILTER = {
  include: { resource_attributes: [{ key: 'service.name', value: 'svc-[0-4].*' }], match_type: 'regexp' },
  exclude: { metric_names: ['metric.9'] },
};

const ATTRIBUTES = {
  actions: [
    { action: 'upsert', key: 'deployment.environment', value: 'prod', target: 'resource' },
    { action: 'rename', from_attribute: 'slot', key: 'slot.index' },
    { action: 'hash', key: 'service.instance.id', target: 'resource' },
  ],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any processor of metrics
function made(factory: ProcessorFactory<any, 'metrics', 'metrics'>, config: unknown): Make {
  return (scheduler) => factory.create(factory.schema.parse(config), createTestContext({ id: factory.type, scheduler })) as OperatorFunction<MetricBatch, MetricBatch>;
}

/** The reference for filter: the same matchers evaluated for every point, no memo. */
const filterPerPoint: Make = () => {
  const include = compileMatcher(filterProcessor.schema.parse(FILTER).include!);
  const exclude = compileMatcher(filterProcessor.schema.parse(FILTER).exclude!);
  return map((batch) => batch.filter((point) => include(point.series) && !exclude(point.series)));
};

/** The floor: a batch copied point by point, as any processor that touches every point must. */
const copyEachPoint: Make = () => map((batch) => batch.map((point) => ({ ...point })));

function pointsPerCpuSecond(make: Make, batches: readonly TimedBatch[]): number {
  const clock = new BenchClock();
  const { cpuSeconds } = feedOnClock(clock, make(clock), batches, (batch) => batch.points, 1_000);
  return POINTS / cpuSeconds;
}

/** After one run for the JIT (and the memo's first sight of every series), the median of three. */
function medianOf3(make: Make, batches: readonly TimedBatch[]): number {
  pointsPerCpuSecond(make, batches);
  return median([0, 1, 2].map(() => pointsPerCpuSecond(make, batches)));
}

export const run: BenchModule = async () => {
  const series = buildSeries();
  const batches = buildBatches(series, 15_000, POINTS);
  const note = '10,000 series (1,000 resources × 10), 1,000 points per batch';
  const rows: BenchRow[] = [
    {
      name: 'filter: include by a resource attribute regexp, exclude one metric name',
      value: medianOf3(made(filterProcessor, FILTER), batches),
      unit: 'points per CPU-second',
      role: 'measured',
      note: `${note}; keeps 45 %`,
    },
    {
      name: 'the same filter deciding per point, no memo',
      value: medianOf3(filterPerPoint, batches),
      unit: 'points per CPU-second',
      role: 'reference',
      note: 'the matchers run for every point',
    },
    {
      name: 'attributes: a resource upsert and hash, a point rename',
      value: medianOf3(made(attributesProcessor, ATTRIBUTES), batches),
      unit: 'points per CPU-second',
      role: 'measured',
      note: `${note}; every point gets a new series; a new subscription per run, so the first sight of each series (canonical keys, SHA-256) is in the figure: 1 in 100 points`,
    },
    {
      name: 'every point copied',
      value: medianOf3(copyEachPoint, batches),
      unit: 'points per CPU-second',
      role: 'reference',
      note: 'map + spread per point: the floor of a processor that rewrites every point',
    },
    {
      name: 'batch: 8192 points or 200 ms',
      value: medianOf3(made(batchProcessor, {}), batches),
      unit: 'points per CPU-second',
      role: 'measured',
      note,
    },
  ];
  return {
    title: 'filter, attributes and batch processors',
    target: 'per point, one lookup on the interned series after its first sight',
    rows,
  };
};
