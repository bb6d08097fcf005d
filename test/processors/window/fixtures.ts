import { expect } from 'vitest';
import { map, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Resource, SeriesSet, type Series } from '../../../src/model/series.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { windowProcessor } from '../../../processors/window/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

export function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const api = new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1' }));
const db = new SeriesSet(new Resource({ 'service.name': 'db', 'service.instance.id': 'db-1' }));

export const apiCpu = api.get({ name: 'cpu', unit: '1', kind: 'gauge' });
export const apiLatency = api.get({ name: 'latency', unit: 's', kind: 'gauge' }, { route: '/health' });
export const dbCpu = db.get({ name: 'cpu', unit: '1', kind: 'gauge' });
export const apiRequests = api.get({ name: 'requests', unit: '{request}', kind: 'sum', monotonic: true });

export function point(series: Series, value: number, time: number): MetricPoint {
  return { series, value, time };
}

/** `api/cpu mean@10=2`, `api/cpu mean@10=2 partial`, `api/cpu mean@5 stale`: one output point, readable in a failing diff. */
function describePoint(p: MetricPoint): string {
  const head = `${p.series.resource.serviceName}/${p.series.name} ${String(p.series.attributes['aggregate'])}@${p.time}`;
  if (p.stale === true) return `${head} stale`;
  const text = `${head}=${p.value}`;
  return p.partial === true ? `${text} partial` : text;
}

/** The same expected lines, of a window flushed before its end. */
export function partial(lines: readonly string[]): string[] {
  return lines.map((line) => `${line} partial`);
}

export const describeBatch = map((batch: MetricBatch) => batch.map(describePoint));

/** The expected output of one series and window, in the default aggregate order. */
export function defaults(
  label: string,
  end: number,
  figures: { mean: number; min: number; max: number; last: number; count: number },
): string[] {
  return (['mean', 'min', 'max', 'last', 'count'] as const).map((name) => `${label} ${name}@${end}=${figures[name]}`);
}

export function windowOperator(
  config: Record<string, unknown>,
  scheduler: SchedulerLike,
): { operator: OperatorFunction<MetricBatch, MetricBatch>; ctx: TestContext } {
  const ctx = createTestContext({ id: 'window', scheduler });
  return { operator: windowProcessor.create(windowProcessor.schema.parse(config), ctx), ctx };
}

/** Wraps a scheduler and keeps every subscription it hands out, to prove they were cancelled. */
export function recordingScheduler(inner: SchedulerLike): { scheduler: SchedulerLike; scheduled: Subscription[] } {
  const scheduled: Subscription[] = [];
  const schedule = inner.schedule.bind(inner) as (...args: unknown[]) => Subscription;
  const scheduler: SchedulerLike = {
    now: () => inner.now(),
    schedule: (...args: unknown[]) => {
      const subscription = schedule(...args);
      scheduled.push(subscription);
      return subscription;
    },
  };
  return { scheduler, scheduled };
}

/** A repeatable pseudo-random sequence in [0, 1), so a failing case can be run again. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

/**
 * Runs points through a window configured by `config` in virtual time, each point arriving
 * at its own time (one batch per frame up to `until`), and returns everything emitted.
 */
export function windowedAtTheirTimes(config: Record<string, unknown>, points: readonly MetricPoint[], until: number): MetricPoint[] {
  const testScheduler = newTestScheduler();
  const seen: MetricPoint[] = [];
  testScheduler.run(({ cold }) => {
    const { operator } = windowOperator(config, testScheduler);
    const frames: Record<string, MetricBatch> = {};
    let marble = '';
    for (let time = 0; time < until; time++) {
      const key = String.fromCharCode(0x100 + time);
      frames[key] = points.filter((p) => p.time === time);
      marble += key;
    }
    cold(marble, frames).pipe(operator).subscribe((batch) => seen.push(...batch));
  });
  return seen;
}
