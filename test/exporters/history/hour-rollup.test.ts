import { describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../../exporters/history/history-writer.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import { openStore } from '../../../src/storage/index.js';
import { HOUR, MINUTE, point, SECOND, seriesOf } from './fixture.js';

const T0 = 7 * HOUR;

function setup() {
  const db = openStore(':memory:').component('history').tables('history', HISTORY_MIGRATIONS);
  const reader = createHistoryReader(db);
  const hourRow = (service: string) =>
    db
      .prepare('SELECT count, sum FROM history_rollup_1h WHERE series_id = (SELECT id FROM history_series WHERE service = ?) ORDER BY bucket DESC LIMIT 1')
      .raw()
      .get(service) as [number, number] | undefined;
  const hourly = (service: string, aggregate: 'count' | 'sum' | 'p50' = 'count') =>
    reader.range({ service, metric: 'cpu', since: T0, until: T0 + 3 * HOUR, step: HOUR, aggregate })[0]?.points.map((p) => p.value);
  return { db, reader, hourRow, hourly };
}

describe('history hour rollups', () => {
  it('writes the newest hour about once a minute, yet a 1 h query sees every point at once (from the minute rows)', () => {
    const { db, hourRow, hourly } = setup();
    const writer = new HistoryWriter(db, 100);
    const cpu = seriesOf('api', 'cpu');
    for (let i = 0; i < 6; i++) writer.write([point(cpu, T0 + i * 10 * SECOND, i)], []);
    // Only the minute's first write wrote the hour row; the query counts all six.
    expect(hourRow('api')).toEqual([1, 0]);
    expect(hourly('api')).toEqual([6]);
    expect(hourly('api', 'sum')).toEqual([15]);
    // The next minute's first write brings the row up to date.
    writer.write([point(cpu, T0 + MINUTE, 10)], []);
    expect(hourRow('api')).toEqual([7, 25]);
    // A later hour closes the open one whole.
    writer.write([point(cpu, T0 + MINUTE + 5 * SECOND, 1), point(cpu, T0 + HOUR, 2)], []);
    expect(db.prepare('SELECT count FROM history_rollup_1h WHERE bucket = ?').pluck().get(T0)).toBe(8);
    expect(hourly('api')).toEqual([8, 1]);
  });

  it("writes an idle series' hour once the other series' points reach the next minute, and every open hour at writeOpenHours", () => {
    const { db, hourRow } = setup();
    const writer = new HistoryWriter(db, 100);
    const idle = seriesOf('idle', 'cpu');
    const busy = seriesOf('busy', 'cpu');
    writer.write([point(idle, T0, 1), point(busy, T0, 1)], []);
    writer.write([point(idle, T0 + 10 * SECOND, 2), point(busy, T0 + 10 * SECOND, 2)], []);
    expect(hourRow('idle')).toEqual([1, 1]);
    writer.write([point(busy, T0 + 20 * SECOND, 3)], []);
    expect(hourRow('idle')).toEqual([1, 1]);
    writer.write([point(busy, T0 + MINUTE, 4)], []);
    expect(hourRow('idle')).toEqual([2, 3]);
    writer.write([point(busy, T0 + MINUTE + 10 * SECOND, 5)], []);
    expect(hourRow('busy')).toEqual([4, 10]);
    writer.writeOpenHours();
    expect(hourRow('busy')).toEqual([5, 15]);
  });

  it('rebuilds the newest hour from its minute rows after a restart, and writes it whole when the series moves on', () => {
    const { db, hourly } = setup();
    const cpu = seriesOf('api', 'cpu');
    const before = new HistoryWriter(db, 100);
    for (let i = 0; i < 6; i++) before.write([point(cpu, T0 + i * 10 * SECOND, 1)], []);
    // A SIGKILL: the writer's open hour is lost, its minute rows are not.
    const after = new HistoryWriter(db, 100);
    after.write([point(cpu, T0 + 2 * MINUTE, 1)], []);
    expect(hourly('api')).toEqual([7]);
    const restarted = new HistoryWriter(db, 100);
    restarted.write([point(cpu, T0 + HOUR + MINUTE, 1)], []);
    expect(db.prepare('SELECT count FROM history_rollup_1h WHERE bucket = ?').pluck().get(T0)).toBe(7);
    expect(hourly('api')).toEqual([7, 1]);
  });

  it('answers the newest hour from its row when its minute rows are gone', () => {
    const { db, hourly } = setup();
    const writer = new HistoryWriter(db, 100);
    const cpu = seriesOf('api', 'cpu');
    writer.write([point(cpu, T0, 1), point(cpu, T0 + MINUTE, 2)], []);
    writer.writeOpenHours();
    db.exec('DELETE FROM history_rollup_1m');
    expect(hourly('api', 'p50')).toHaveLength(1);
    expect(hourly('api')).toEqual([2]);
  });
});
