import { afterEach, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../../exporters/history/history-writer.js';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import type { Exporter, Signal } from '../../../src/index.js';
import { openStore } from '../../../src/storage/index.js';
import { createTestContext } from '../../helpers/context.js';
import { config, event, HOUR, HistoryClock, MINUTE, point, SECOND, seriesOf } from './fixture.js';

const T0 = 3 * HOUR;
let exporter: Exporter<Signal> | undefined;

afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
});

describe('history writer', () => {
  it('holds at most max_series series, and one forgotten and written again merges into its stored rollups', () => {
    const db = openStore(':memory:').component('history').tables('history', HISTORY_MIGRATIONS);
    const writer = new HistoryWriter(db, 100);
    const series = Array.from({ length: 300 }, (_, i) => seriesOf('many', 'cpu', { i: String(i) }));
    writer.write(series.map((s) => point(s, T0, 1)), []);
    expect(writer.heldSeries).toBeLessThanOrEqual(100);
    // Series 0 was forgotten; its minute is read back from the store.
    writer.write([point(series[0]!, T0 + 10 * SECOND, 3)], []);
    writer.write(series.slice(100).map((s) => point(s, T0 + 20 * SECOND, 2)), []);
    writer.write([point(series[0]!, T0 + 30 * SECOND, 5)], []);
    expect(writer.heldSeries).toBeLessThanOrEqual(100);
    const [answer] = createHistoryReader(db).range({
      service: 'many', metric: 'cpu', attributes: { i: '0' }, since: T0, until: T0 + MINUTE, step: MINUTE, aggregate: 'sum',
    });
    expect(answer?.points).toEqual([{ time: T0, value: 9 }]);
    expect(db.prepare('SELECT count FROM history_rollup_1h WHERE series_id = (SELECT id FROM history_series WHERE attributes = ?)').pluck().get('{"i":"0"}')).toBe(3);
  });

  it('sorts the points of a write by time, so a batch out of order makes the same rollups', () => {
    const db = openStore(':memory:').component('history').tables('history', HISTORY_MIGRATIONS);
    const writer = new HistoryWriter(db, 100);
    const cpu = seriesOf('api', 'cpu');
    writer.write([point(cpu, T0 + 2 * MINUTE, 3), point(cpu, T0, 1), point(cpu, T0 + MINUTE, 2), point(cpu, T0 + 5 * SECOND, 4)], []);
    const reader = createHistoryReader(db);
    const query = { service: 'api', metric: 'cpu', since: T0, until: T0 + HOUR, step: MINUTE };
    expect(reader.range({ ...query, aggregate: 'last' })[0]?.points.map((p) => p.value)).toEqual([4, 2, 3]);
    expect(reader.range({ ...query, aggregate: 'count' })[0]?.points.map((p) => p.value)).toEqual([2, 1, 1]);
  });

  it('drops the points of a refused write (counted), keeps its events for the next one, and says it is degraded until then', async () => {
    const scheduler = new HistoryClock();
    scheduler.advanceTo(T0);
    const ctx = createTestContext({ id: 'history', scheduler, store: openStore(':memory:') });
    exporter = createHistoryExporter(config(), ctx);
    await exporter.start!();
    const db = ctx.storage.tables('history', HISTORY_MIGRATIONS);
    db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON history_raw BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    exporter.consume([point(seriesOf('api', 'cpu'), T0, 1), point(seriesOf('api', 'cpu'), T0 + 1, 2)], 'metrics');
    exporter.consume([event({ service: 'api', level: 'critical', time: T0 })], 'alerts');
    scheduler.advanceBy(SECOND);
    expect(ctx.telemetry.countOf('dropped', { reason: 'write_failed', signal: 'metrics' })).toBe(2);
    expect(ctx.statuses.list()).toMatchObject([{ state: 'degraded', lastError: { message: expect.stringContaining('disk full') } }]);
    const reader = createHistoryReader(db);
    expect(reader.alerts()).toEqual([]);

    db.exec('DROP TRIGGER refuse');
    scheduler.advanceBy(SECOND);
    expect(reader.alerts()).toMatchObject([{ service: 'api', level: 'critical' }]);
    expect(reader.latest('api')).toEqual([]);
    expect(ctx.statuses.list()).toMatchObject([{ state: 'running' }]);
  });
});
