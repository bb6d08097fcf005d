import { map, tap, timer } from 'rxjs';
import { boundedInt, defineExporter, defineReceiver, duration, Resource, SeriesSet, z } from '../src/index.js';
import type { MetricPoint, Series } from '../src/index.js';
import { AGENT_SENDER, LOAD_METRICS, loadResourceAttributes, POINTS_PER_RESOURCE, RESOURCES } from './otlp-load.js';

/**
 * A plugin (DESIGN §4) the end-to-end OTLP bench names in the agent's pipeline.yaml by its
 * built path, dist/bench/otlp-load-plugin.js: it imports the agent's own API module, so it is
 * loaded like any plugin and shares the running agent's model. `bench_load` emits the load of
 * bench/otlp-load.ts every interval as one batch, as the process receiver emits one scrape;
 * `bench_discard` takes batches and does nothing, so the agent with it costs the receiver and
 * the graph alone, and the OTLP exporter's share is the difference.
 */
export const apiVersion = 1;

/** The series of `resources` resources, made once: every interval reuses them, as a receiver does. */
export function loadSeries(resources: number, sender: string): Series[] {
  const all: Series[] = [];
  for (let index = 0; index < resources; index++) {
    const set = new SeriesSet(new Resource(loadResourceAttributes(index, sender)));
    for (const metric of LOAD_METRICS) {
      all.push(set.get({ name: metric.name, unit: metric.unit, kind: metric.kind, monotonic: metric.kind === 'sum' }, metric.attributes));
    }
  }
  return all;
}

/** The points of interval `tick` at `time`: one per series, counters counted from `startTime`. */
export function loadPoints(series: readonly Series[], tick: number, time: number, startTime: number): MetricPoint[] {
  const points = new Array<MetricPoint>(series.length);
  for (let at = 0; at < series.length; at++) {
    const one = series[at]!;
    const value = LOAD_METRICS[at % POINTS_PER_RESOURCE]!.value(Math.floor(at / POINTS_PER_RESOURCE), tick);
    points[at] = one.kind === 'sum' ? { series: one, value, time, startTime } : { series: one, value, time };
  }
  return points;
}

export const components = [
  defineReceiver({
    type: 'bench_load',
    description: 'The OTLP bench load: resources × 10 process metrics per interval',
    schema: z.strictObject({
      collection_interval: duration().prefault('1s').describe('How often the whole load is emitted, as one batch.'),
      resources: boundedInt({ min: 1, max: 100_000, maxReason: 'a bench load, not a fleet' })
        .prefault(RESOURCES)
        .describe('How many resources of 10 points each.'),
      sender: z.string().prefault(AGENT_SENDER).describe('The `bench.sender` resource attribute.'),
    }),
    create(config, context) {
      const series = loadSeries(config.resources, config.sender);
      const startTime = context.scheduler.now();
      return timer(0, config.collection_interval, context.scheduler).pipe(
        map((tick) => loadPoints(series, tick, context.scheduler.now(), startTime)),
        tap((batch) => context.telemetry.accepted(batch.length)),
      );
    },
  }),
  defineExporter({
    type: 'bench_discard',
    description: 'Takes every batch and drops it: the agent without an exporter’s cost',
    signals: ['metrics'],
    schema: z.strictObject({}),
    create: (_config, context) => ({
      consume: (batch) => context.telemetry.sent(batch.length),
      flush: async () => undefined,
      shutdown: async () => undefined,
    }),
  }),
];
