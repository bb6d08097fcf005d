import { Subject, map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { EventBatch, HealthEvent } from '../../../src/model/event.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet, type Attributes, type Series } from '../../../src/model/series.js';
import { thresholdProcessor } from '../../../processors/threshold/index.js';
import type { Store } from '../../../src/storage/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

// The marble scheduler of the window's tests: the chain's two halves are tested alike.
export { newTestScheduler } from '../window/fixtures.js';
import { newTestScheduler } from '../window/fixtures.js';

const apiResource = new Resource(
  { 'service.name': 'api', 'service.instance.id': 'api-1', 'process.pid': 4242 },
  { volatile: ['process.pid'] },
);
const dbResource = new Resource({ 'service.name': 'db', 'service.instance.id': 'db-1' });

/** A window's output series: the metric with `aggregate=<name>`, as `window` emits it. */
export function figure(resource: Resource, name: string, attributes: Attributes = {}, aggregate = 'mean'): Series {
  return new SeriesSet(resource).get({ name, unit: '1', kind: 'gauge' }, attributes).with('aggregate', aggregate, 'gauge');
}

export const apiLatency = figure(apiResource, 'healthcheck.duration');
export const dbLatency = figure(dbResource, 'healthcheck.duration');
export const apiLatencyMax = figure(apiResource, 'healthcheck.duration', {}, 'max');
export { apiResource, dbResource };

export function at(series: Series, value: number, time: number, extra: Partial<MetricPoint> = {}): MetricPoint {
  return { series, value, time, ...extra };
}

/** `api latency info→warning firing`: one event, readable in a failing diff. */
export function describeEvent(event: HealthEvent): string {
  const flapping = event.flapping === true ? ' flapping' : '';
  return `${event.service} ${event.rule} ${event.previousLevel}→${event.level} ${event.state}${flapping}`;
}

export const describeEvents = map((batch: EventBatch) => batch.map(describeEvent));

/** A rule on api's and db's latency mean, with the given levels and options. */
export function latencyRule(options: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'latency', metric: 'healthcheck.duration', above: { warning: 0.2, error: 0.5, critical: 1 }, ...options };
}

/** The threshold processor as the runtime makes it; `store` shared makes a restart (the store is a file there). */
export function thresholdOperator(
  config: Record<string, unknown>,
  scheduler: SchedulerLike,
  store?: Store,
): { operator: OperatorFunction<MetricBatch, EventBatch>; ctx: TestContext } {
  const ctx = createTestContext({ id: 'threshold', scheduler, ...(store === undefined ? {} : { store }) });
  return { operator: thresholdProcessor.create(thresholdProcessor.schema.parse(config), ctx), ctx };
}

/**
 * Feeds `batches` (each at its virtual time) through a threshold of `config`, and returns
 * every event with the virtual time it left at. Runs until `until` (default: the last
 * batch + 1); the source then completes.
 */
export function feed(
  config: Record<string, unknown>,
  batches: ReadonlyArray<readonly [time: number, batch: MetricBatch]>,
  until?: number,
): Array<{ at: number; event: HealthEvent }> {
  const testScheduler = newTestScheduler();
  const out: Array<{ at: number; event: HealthEvent }> = [];
  testScheduler.run(({ flush }) => {
    const { operator } = thresholdOperator(config, testScheduler);
    const input = new Subject<MetricBatch>();
    input.pipe(operator).subscribe((events) => {
      for (const event of events) out.push({ at: testScheduler.now(), event });
    });
    for (const [time, batch] of batches) testScheduler.schedule(() => input.next(batch), time);
    const end = until ?? (batches.length === 0 ? 0 : batches[batches.length - 1]![0] + 1);
    testScheduler.schedule(() => input.complete(), end);
    flush();
  });
  return out;
}

/** One mean per step of `step` ms, at times step, 2·step, …; `undefined` is a missing sample. */
export function samples(series: Series, values: ReadonlyArray<number | undefined>, step = 10): Array<[number, MetricBatch]> {
  const out: Array<[number, MetricBatch]> = [];
  values.forEach((value, index) => {
    const time = (index + 1) * step;
    if (value !== undefined) out.push([time, [at(series, value, time)]]);
  });
  return out;
}

/** The events as `at: description` lines. */
export function lines(events: ReadonlyArray<{ at: number; event: HealthEvent }>): string[] {
  return events.map(({ at, event }) => `${at}: ${describeEvent(event)}`);
}
