import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS, SKETCH_RELATIVE_ACCURACY } from '../../../src/history/index.js';
import { exactQuantile } from '../../../src/history/step-aggregate.js';
import type { HistoryAggregate } from '../../../src/history/reader.js';
import type { Exporter, MetricPoint, Signal } from '../../../src/index.js';
import { createTestContext } from '../../helpers/context.js';
import { HOUR, HistoryClock, MINUTE, SECOND, config, point, random, seriesOf } from './fixture.js';

const T0 = 24 * HOUR;
let exporter: Exporter<Signal> | undefined;

afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
});

/** Two series of one metric, a point every 5 s for 3 hours, in batches as a receiver sends them; and the points themselves. */
async function stored() {
  const scheduler = new HistoryClock();
  scheduler.advanceTo(T0);
  const ctx = createTestContext({ id: 'history', scheduler });
  exporter = createHistoryExporter(config({ retention: { raw: '30d', '1m': '30d', '1h': '30d' } }), ctx);
  await exporter.start!();
  const next = random(42);
  const fast = seriesOf('api', 'http.duration', { route: '/a' });
  const slow = seriesOf('api', 'http.duration', { route: '/b' });
  const other = seriesOf('api', 'cpu');
  const points: MetricPoint[] = [];
  for (let time = T0; time < T0 + 3 * HOUR; time += 5 * SECOND) {
    const batch = [point(fast, time, 0.01 + next() * 0.05), point(slow, time, Math.exp(next() * 6)), point(other, time, next())];
    points.push(...batch);
    exporter.consume(batch, 'metrics');
    if (time % (10 * MINUTE) === 0) await exporter.flush();
  }
  await exporter.flush();
  const reader = createHistoryReader(ctx.storage.tables('history', HISTORY_MIGRATIONS));
  return { reader, points, fast, slow };
}

/** The exact answer: every step's points from the raw data, aggregated as the query says. */
function exact(points: MetricPoint[], seriesKey: string, since: number, until: number, step: number, aggregate: HistoryAggregate) {
  const steps = new Map<number, number[]>();
  for (const p of points) {
    if (p.series.key !== seriesKey || p.time < since || p.time >= until) continue;
    const at = since + Math.floor((p.time - since) / step) * step;
    steps.set(at, [...(steps.get(at) ?? []), p.value]);
  }
  return [...steps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, values]) => {
      const sum = values.reduce((s, v) => s + v, 0);
      const figures: Record<string, number> = {
        avg: sum / values.length,
        min: Math.min(...values),
        max: Math.max(...values),
        sum,
        count: values.length,
        last: values[values.length - 1]!,
        p50: exactQuantile(values, 0.5),
        p90: exactQuantile(values, 0.9),
        p95: exactQuantile(values, 0.95),
        p99: exactQuantile(values, 0.99),
      };
      return { time, value: figures[aggregate]! };
    });
}

describe('history range queries', () => {
  it('answers from the rollup that serves the step: raw below 1 min, 1 min rollups below 1 h, 1 h rollups above', async () => {
    const { reader } = await stored();
    const query = { service: 'api', metric: 'http.duration', since: T0, until: T0 + 3 * HOUR, aggregate: 'avg' as const };
    expect(reader.range({ ...query, step: 30 * SECOND }).map((s) => s.resolution)).toEqual(['raw', 'raw']);
    expect(reader.range({ ...query, step: 5 * MINUTE }).map((s) => s.resolution)).toEqual(['1m', '1m']);
    expect(reader.range({ ...query, step: HOUR }).map((s) => s.resolution)).toEqual(['1h', '1h']);
    expect(reader.range({ ...query, step: HOUR })[0]?.points).toHaveLength(3);
  });

  it('gives count, sum, min, max, avg and last exactly at every resolution', async () => {
    const { reader, points, slow } = await stored();
    for (const step of [30 * SECOND, 5 * MINUTE, HOUR]) {
      for (const aggregate of ['count', 'sum', 'min', 'max', 'avg', 'last'] as const) {
        const [answer] = reader.range({ service: 'api', metric: 'http.duration', attributes: { route: '/b' }, since: T0, until: T0 + 3 * HOUR, step, aggregate });
        const expected = exact(points, slow.key, T0, T0 + 3 * HOUR, step, aggregate);
        expect(answer?.points.length, `${aggregate} at ${step}`).toBe(expected.length);
        answer!.points.forEach((p, i) => {
          expect(p.time).toBe(expected[i]!.time);
          expect(p.value, `${aggregate} at ${step}, step ${i}`).toBeCloseTo(expected[i]!.value, 9);
        });
      }
    }
  });

  it('gives quantiles exactly from raw points and within the sketch\'s accuracy from rollups', async () => {
    const { reader, points, slow, fast } = await stored();
    for (const series of [slow, fast]) {
      const route = String(series.attributes.route);
      for (const aggregate of ['p50', 'p90', 'p95', 'p99'] as const) {
        const raw = reader.range({ service: 'api', metric: 'http.duration', attributes: { route }, since: T0, until: T0 + HOUR, step: 30 * SECOND, aggregate });
        expect(raw[0]?.points).toEqual(exact(points, series.key, T0, T0 + HOUR, 30 * SECOND, aggregate));
        for (const step of [5 * MINUTE, HOUR]) {
          const [answer] = reader.range({ service: 'api', metric: 'http.duration', attributes: { route }, since: T0, until: T0 + 3 * HOUR, step, aggregate });
          const expected = exact(points, series.key, T0, T0 + 3 * HOUR, step, aggregate);
          expect(answer?.points.length).toBe(expected.length);
          answer!.points.forEach((p, i) => {
            const error = Math.abs(p.value - expected[i]!.value) / expected[i]!.value;
            expect(error, `${route} ${aggregate} at ${step}`).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
          });
        }
      }
    }
  });

  it('leaves out steps without points, and answers nothing for an unknown service, metric or attribute', async () => {
    const { reader } = await stored();
    const [answer] = reader.range({ service: 'api', metric: 'cpu', since: T0 - HOUR, until: T0 + HOUR, step: 10 * MINUTE, aggregate: 'max' });
    expect(answer?.points.map((p) => p.time)).toEqual([0, 1, 2, 3, 4, 5].map((i) => T0 + i * 10 * MINUTE));
    expect(reader.range({ service: 'nope', metric: 'cpu', since: T0, until: T0 + HOUR, step: MINUTE, aggregate: 'max' })).toEqual([]);
    expect(reader.range({ service: 'api', metric: 'nope', since: T0, until: T0 + HOUR, step: MINUTE, aggregate: 'max' })).toEqual([]);
    expect(reader.range({ service: 'api', metric: 'http.duration', attributes: { route: '/c' }, since: T0, until: T0 + HOUR, step: MINUTE, aggregate: 'max' })).toEqual([]);
  });

  it('refuses a range of too many steps', async () => {
    const { reader } = await stored();
    expect(() => reader.range({ service: 'api', metric: 'cpu', since: 0, until: T0, step: 1, aggregate: 'max' })).toThrow(/widen the step/);
  });
});
