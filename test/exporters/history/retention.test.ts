import { afterEach, describe, expect, it } from 'vitest';
import { config as parseConfig, event, HOUR, HistoryClock, MINUTE, point, SECOND, seriesOf } from './fixture.js';
import { retentionOf } from '../../../exporters/history/config.js';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import type { Exporter, Signal } from '../../../src/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

const DAY = 24 * HOUR;
const T0 = 2 * DAY;
let exporter: Exporter<Signal> | undefined;

afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
});

async function setup(written: Record<string, unknown>) {
  const scheduler = new HistoryClock();
  scheduler.advanceTo(T0);
  const ctx = createTestContext({ id: 'history', scheduler });
  exporter = createHistoryExporter(parseConfig(written), ctx);
  await exporter.start!();
  const db = ctx.storage.tables('history', HISTORY_MIGRATIONS);
  const rows = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { ctx, scheduler, exporter, db, rows, reader: createHistoryReader(db) };
}

function dropped(ctx: TestContext, reason: string, signal: Signal = 'metrics'): number {
  return ctx.telemetry.countOf('dropped', { reason, signal });
}

describe('history retention', () => {
  it('maps DESIGN\'s single duration to the raw points, the rest keeping their defaults or that duration when longer', () => {
    expect(retentionOf(parseConfig({ retention: '24h' }))).toEqual({ raw: DAY, '1m': 7 * DAY, '1h': 90 * DAY, events: 90 * DAY });
    expect(retentionOf(parseConfig({ retention: '30d' }))).toEqual({ raw: 30 * DAY, '1m': 30 * DAY, '1h': 90 * DAY, events: 90 * DAY });
    expect(retentionOf(parseConfig({}))).toEqual({ raw: DAY, '1m': 7 * DAY, '1h': 90 * DAY, events: 90 * DAY });
    expect(retentionOf(parseConfig({ retention: { raw: '2h' } }))).toEqual({ raw: 2 * HOUR, '1m': 7 * DAY, '1h': 90 * DAY, events: 90 * DAY });
    expect(() => parseConfig({ retention: '10s' })).toThrow();
    expect(() => parseConfig({ retention: { raw: '1h', hourly: '1d' } })).toThrow();
  });

  it('removes raw points, then 1 min rollups, then 1 h rollups and old events by age, counting each drop', async () => {
    const { ctx, scheduler, rows, reader } = await setup({
      retention: { raw: '1h', '1m': '2h', '1h': '1d', events: '1h' },
      cleanup_interval: '1m',
    });
    const cpu = seriesOf('api', 'cpu');
    for (let time = T0; time < T0 + 10 * MINUTE; time += 10 * SECOND) {
      exporter!.consume([point(cpu, time, 1)], 'metrics');
      if ((time + 10 * SECOND) % MINUTE === 0) await exporter!.flush();
    }
    exporter!.consume(
      [
        event({ service: 'api', rule: 'memory', level: 'warning', time: T0 }),
        event({ service: 'api', rule: 'memory', level: 'info', previous: 'warning', time: T0 + MINUTE }),
        event({ service: 'api', rule: 'cpu', level: 'critical', time: T0 }),
      ],
      'alerts',
    );
    await exporter!.flush();
    expect(rows('history_raw')).toBe(10);
    expect(rows('history_rollup_1m')).toBe(10);

    scheduler.advanceTo(T0 + HOUR + 11 * MINUTE);
    expect(rows('history_raw')).toBe(0);
    expect(dropped(ctx, 'retention_raw')).toBe(60);
    expect(rows('history_rollup_1m')).toBe(10);
    // The raw points are gone: a fine step is answered from the 1 min rollups.
    const fine = reader.range({ service: 'api', metric: 'cpu', since: T0, until: T0 + HOUR, step: 10 * SECOND, aggregate: 'count' });
    expect(fine.map((series) => [series.resolution, series.points.length])).toEqual([['1m', 10]]);
    // Events past their age go, but the latest event of an alert that still fires stays.
    expect(reader.alerts().map((alert) => [alert.rule, alert.level])).toEqual([['cpu', 'critical']]);
    expect(dropped(ctx, 'retention_events', 'alerts')).toBe(2);
    expect(reader.alerts({ firing: true })).toHaveLength(1);

    scheduler.advanceTo(T0 + 2 * HOUR + 11 * MINUTE);
    expect(rows('history_rollup_1m')).toBe(0);
    expect(dropped(ctx, 'retention_1m')).toBe(10);
    expect(rows('history_rollup_1h')).toBe(1);
    expect(reader.range({ service: 'api', metric: 'cpu', since: T0, until: T0 + HOUR, step: MINUTE, aggregate: 'count' })[0]?.points).toEqual([
      { time: T0, value: 60 },
    ]);

    scheduler.advanceTo(T0 + DAY + 2 * HOUR);
    expect(rows('history_rollup_1h')).toBe(0);
    expect(dropped(ctx, 'retention_1h')).toBe(1);
    expect(rows('history_series')).toBe(0);
    expect(reader.services().map((service) => service.service)).toEqual(['api']); // its firing alert

    // The series was forgotten with its row: it comes back as a new one.
    exporter!.consume([point(cpu, T0 + DAY + 2 * HOUR, 7)], 'metrics');
    await exporter!.flush();
    expect(reader.latest('api')).toMatchObject([{ value: 7 }]);
    expect(rows('history_rollup_1m')).toBe(1);
  });

  it('deletes in steps of at most cleanup_batch rows, the next step coming sooner while work is left', async () => {
    const { ctx, scheduler, rows } = await setup({ retention: { raw: '1m' }, cleanup_interval: '10s', cleanup_batch: 100 });
    const batch = Array.from({ length: 1_000 }, (_, i) => point(seriesOf('api', 'cpu', { i: String(i) }), T0, i));
    exporter!.consume(batch, 'metrics');
    await exporter!.flush();
    expect(rows('history_raw')).toBe(1_000);
    scheduler.advanceTo(T0 + 70 * SECOND);
    expect(rows('history_raw')).toBe(900);
    scheduler.advanceBy(50);
    expect(rows('history_raw')).toBe(800);
    scheduler.advanceBy(8 * 50);
    expect(rows('history_raw')).toBe(0);
    expect(dropped(ctx, 'retention_raw')).toBe(1_000);
  });

  it('keeps the store under max_size: the oldest raw points first, then the oldest 1 min rollups, never the 1 h ones first', async () => {
    const { ctx, scheduler, rows, db } = await setup({ max_size: '1MiB', cleanup_interval: '1s', cleanup_batch: 2_000, retention: { raw: '30d', '1m': '30d' } });
    const series = Array.from({ length: 1_000 }, (_, i) => seriesOf('api', 'cpu', { i: String(i) }));
    for (let minute = 0; minute < 30; minute++) {
      exporter!.consume(series.map((s) => point(s, T0 + minute * MINUTE, minute)), 'metrics');
      await exporter!.flush();
    }
    // max_size bounds the history's own pages: the file's less every other table's.
    const used = () => {
      const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
      const others = db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name NOT LIKE 'history\\_%' ESCAPE '\\'").pluck().get() as number;
      return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size') - others;
    };
    expect(used()).toBeGreaterThan(2 * 1024 * 1024);
    const cells = rows('history_rollup_1m');
    const oldestRaw = () => db.prepare('SELECT min(start_time) FROM history_raw').pluck().get() as number | null;
    let seenRaw = oldestRaw()!;
    for (let step = 0; step < 200 && used() > 1024 * 1024; step++) {
      scheduler.advanceBy(SECOND);
      // Oldest first; rollups only once no raw point is left.
      if (rows('history_raw') > 0) {
        expect(oldestRaw()!).toBeGreaterThanOrEqual(seenRaw);
        seenRaw = oldestRaw()!;
        expect(rows('history_rollup_1m')).toBe(cells);
      }
    }
    expect(used()).toBeLessThanOrEqual(1024 * 1024);
    expect(rows('history_raw')).toBe(0);
    expect(rows('history_rollup_1m')).toBeLessThan(cells);
    expect(rows('history_rollup_1h')).toBe(1_000);
    // The newest minutes remain.
    expect(db.prepare('SELECT max(bucket) FROM history_rollup_1m').pluck().get()).toBe(T0 + 29 * MINUTE);
    expect(dropped(ctx, 'max_size_raw')).toBe(30_000);
    expect(dropped(ctx, 'max_size_1m')).toBe(cells - rows('history_rollup_1m'));
  });

  it('expires raw chunks by their end time: one chunk from the future does not hold back older ones written after it', async () => {
    const { ctx, scheduler, rows } = await setup({ retention: { raw: '1h' }, cleanup_interval: '1m' });
    const early = seriesOf('api', 'future');
    exporter!.consume([point(early, T0 + 30 * DAY, 1)], 'metrics');
    await exporter!.flush();
    exporter!.consume([point(seriesOf('api', 'cpu'), T0, 1)], 'metrics');
    await exporter!.flush();
    scheduler.advanceTo(T0 + 2 * HOUR);
    expect(rows('history_raw')).toBe(1);
    expect(dropped(ctx, 'retention_raw')).toBe(1);
  });

  it('takes a newer value after the clock stepped back, once the stored newest is ahead of the clock', async () => {
    const { scheduler, reader } = await setup({});
    const cpu = seriesOf('api', 'cpu');
    exporter!.consume([point(cpu, T0 + DAY, 1)], 'metrics');
    await exporter!.flush();
    scheduler.advanceTo(T0 + MINUTE);
    exporter!.consume([point(cpu, T0 + MINUTE, 2)], 'metrics');
    await exporter!.flush();
    expect(reader.latest('api').map((value) => [value.value, value.time])).toEqual([[2, T0 + MINUTE]]);
  });

  it('bounds only the history\'s own tables: other data over max_size leaves history alone', async () => {
    const { ctx, scheduler, rows, db } = await setup({ max_size: '1MiB', cleanup_interval: '1s' });
    db.exec('CREATE TABLE other_log (body BLOB)');
    const insert = db.prepare('INSERT INTO other_log VALUES (?)');
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(32 * 1024, i));
    const series = Array.from({ length: 10 }, (_, i) => seriesOf('api', 'cpu', { i: String(i) }));
    exporter!.consume(series.map((s) => point(s, T0, 1)), 'metrics');
    await exporter!.flush();
    scheduler.advanceBy(10 * SECOND);
    expect(rows('history_raw')).toBe(10);
    expect(rows('history_rollup_1m')).toBe(10);
    expect(dropped(ctx, 'max_size_raw')).toBe(0);
  });
});
