import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import type { Exporter, MetricPoint, Signal } from '../../../src/index.js';
import { createTestContext } from '../../helpers/context.js';
import { HOUR, HistoryClock, MINUTE, SECOND, config, event, point, seriesOf } from './fixture.js';

const DAY = 24 * HOUR;
const T0 = 10 * DAY;
let exporter: Exporter<Signal> | undefined;

afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
});

async function setup() {
  const scheduler = new HistoryClock();
  scheduler.advanceTo(T0);
  const ctx = createTestContext({ id: 'history', scheduler });
  exporter = createHistoryExporter(config({ retention: { raw: '30d', '1m': '30d', '1h': '90d' } }), ctx);
  await exporter.start!();
  const db = ctx.storage.tables('history', HISTORY_MIGRATIONS);
  return { scheduler, db, reader: createHistoryReader(db) };
}

async function write(points: MetricPoint[], events = [] as ReturnType<typeof event>[]) {
  for (let i = 0; i < points.length; i += 1_000) exporter!.consume(points.slice(i, i + 1_000), 'metrics');
  if (events.length > 0) exporter!.consume(events, 'alerts');
  await exporter!.flush();
}

/** A point every `every` ms over [from, until), value 1. */
function ones(metric: string, from: number, until: number, every: number): MetricPoint[] {
  const series = seriesOf('api', metric);
  const points: MetricPoint[] = [];
  for (let time = from; time < until; time += every) points.push(point(series, time, 1));
  return points;
}

describe('history reader: steps and rollups', () => {
  it('never splits a rollup cell over steps: a 90 s step counts each point once', async () => {
    const { reader } = await setup();
    await write(ones('beats', T0, T0 + 30 * MINUTE, 10 * SECOND));
    const points = reader.range({ service: 'api', metric: 'beats', since: T0, until: T0 + 30 * MINUTE, step: 90 * SECOND, aggregate: 'count' })[0]!.points;
    expect(points).toHaveLength(20);
    expect(points.every((p) => p.value === 9)).toBe(true);
  });

  it('aligns an unaligned range to the rollup width: one minute per step, labelled on the minute', async () => {
    const { reader } = await setup();
    await write(ones('beats', T0, T0 + 30 * MINUTE, 10 * SECOND));
    const [answer] = reader.range({ service: 'api', metric: 'beats', since: T0 + 37 * SECOND, until: T0 + 20 * MINUTE + 37 * SECOND, step: MINUTE, aggregate: 'sum' });
    expect(answer!.resolution).toBe('1m');
    expect(answer!.points.map((p) => p.time)).toEqual(Array.from({ length: 21 }, (_, i) => T0 + i * MINUTE));
    expect(answer!.points.every((p) => p.value === 6)).toBe(true);
  });

  it('fills what the 1 min rollups no longer keep from the 1 h rollups', async () => {
    const { db, reader } = await setup();
    await write(ones('beats', T0 - 3 * DAY, T0, MINUTE));
    // Retention took the 1 min rollups older than a day.
    db.prepare('DELETE FROM history_rollup_1m WHERE bucket < ?').run(T0 - DAY);
    const [answer] = reader.range({ service: 'api', metric: 'beats', since: T0 - 3 * DAY, until: T0, step: 5 * MINUTE, aggregate: 'count' });
    const hourly = answer!.points.filter((p) => p.time < T0 - DAY);
    const fine = answer!.points.filter((p) => p.time >= T0 - DAY);
    expect(hourly).toHaveLength(48);
    expect(hourly.every((p) => p.value === 60 && p.time % HOUR === 0)).toBe(true);
    expect(fine).toHaveLength(DAY / (5 * MINUTE));
    expect(fine.every((p) => p.value === 5)).toBe(true);
    expect(answer!.points.reduce((sum, p) => sum + p.value, 0)).toBe(3 * 24 * 60);
    expect(answer!.resolution).toBe('1m');
  });

  it('keeps the minute rows of a store that began mid-hour: no 1 h cell stands in for them', async () => {
    const { reader } = await setup();
    await write(ones('beats', T0 + 20 * MINUTE, T0 + 2 * HOUR, 10 * SECOND));
    const [answer] = reader.range({ service: 'api', metric: 'beats', since: T0 + 17 * MINUTE, until: T0 + 2 * HOUR, step: 5 * MINUTE, aggregate: 'count' });
    expect(answer!.resolution).toBe('1m');
    expect(answer!.points[0]).toEqual({ time: T0 + 17 * MINUTE, value: 12 });
    expect(answer!.points.reduce((sum, p) => sum + p.value, 0)).toBe(100 * 6);
  });
});

describe('history reader: services and alerts', () => {
  it('dates a level from when it changed, not from repeats; at info from the latest resolve', async () => {
    const { reader } = await setup();
    await write([], [event({ service: 'db', rule: 'cpu', level: 'critical', time: T0 })]);
    await write([], [event({ service: 'db', rule: 'cpu', level: 'critical', time: T0 + 5 * MINUTE })]);
    expect(reader.services()).toMatchObject([{ service: 'db', level: 'critical', levelSince: T0, lastEvent: T0 + 5 * MINUTE, firing: 1 }]);
    await write([], [event({ service: 'db', rule: 'cpu', level: 'info', previous: 'critical', time: T0 + 10 * MINUTE })]);
    await write([], [event({ service: 'db', rule: 'memory', level: 'warning', time: T0 + 11 * MINUTE })]);
    await write([], [event({ service: 'db', rule: 'memory', level: 'info', previous: 'warning', time: T0 + 20 * MINUTE })]);
    expect(reader.services()).toMatchObject([{ service: 'db', level: 'info', levelSince: T0 + 20 * MINUTE, firing: 0 }]);
  });

  it('answers one service as services() lists it, undefined for one never seen', async () => {
    const { reader } = await setup();
    await write([point(seriesOf('api', 'cpu'), T0, 1), point(seriesOf('web', 'cpu'), T0 + SECOND, 1)], [event({ service: 'web', level: 'warning', time: T0 })]);
    expect(reader.service!('web')).toEqual(reader.services().find((s) => s.service === 'web'));
    expect(reader.service!('api')).toEqual(reader.services().find((s) => s.service === 'api'));
    expect(reader.service!('nobody')).toBeUndefined();
  });

  it('firing: false lists the alerts not firing now, one record each', async () => {
    const { reader } = await setup();
    await write([], [event({ service: 'db', rule: 'cpu', level: 'critical', time: T0 }), event({ service: 'db', rule: 'disk', level: 'warning', time: T0 })]);
    await write([], [event({ service: 'db', rule: 'cpu', level: 'info', previous: 'critical', time: T0 + MINUTE })]);
    expect(reader.alerts({ firing: false }).map((a) => [a.rule, a.state])).toEqual([['cpu', 'resolved']]);
    expect(reader.alerts({ firing: true }).map((a) => [a.rule, a.state])).toEqual([['disk', 'firing']]);
    expect(reader.alerts({})).toHaveLength(3);
  });
});
