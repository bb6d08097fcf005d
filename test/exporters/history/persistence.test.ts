import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { createTestContext } from '../../helpers/context.js';
import { HOUR, HistoryClock, MINUTE, SECOND, config, event, point, seriesOf } from './fixture.js';

const T0 = 5 * HOUR;
let dir: string;
let path: string;
const opened: Array<{ close(): void }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-'));
  path = join(dir, 'healthpipe.db');
});

afterEach(() => {
  for (const handle of opened.splice(0)) handle.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An agent's run on the store file: writes `batches` of points and events, shuts down, closes the store. */
async function run(store: Store, write: (consume: (points: ReturnType<typeof point>[]) => void) => void, events = [] as ReturnType<typeof event>[]) {
  const scheduler = new HistoryClock();
  scheduler.advanceTo(T0);
  const ctx = createTestContext({ id: 'history', scheduler, store });
  const exporter = createHistoryExporter(config(), ctx);
  await exporter.start!();
  write((points) => exporter.consume(points, 'metrics'));
  if (events.length > 0) exporter.consume(events, 'alerts');
  await exporter.shutdown();
  store.close();
}

describe('history across restarts and connections', () => {
  it('keeps points, rollups and events when the store is closed and reopened, and goes on merging into the same minute', async () => {
    const cpu = seriesOf('api', 'cpu');
    await run(openStore(path), (consume) => consume([point(cpu, T0, 1), point(cpu, T0 + 10 * SECOND, 3)]), [
      event({ service: 'api', level: 'critical', time: T0 }),
    ]);
    await run(openStore(path), (consume) => consume([point(cpu, T0 + 20 * SECOND, 5)]));

    const store = openStore(path);
    opened.push(store);
    const reader = createHistoryReader(store.component('reader').tables('history', HISTORY_MIGRATIONS));
    const query = { service: 'api', metric: 'cpu', since: T0, until: T0 + HOUR };
    expect(reader.range({ ...query, step: MINUTE, aggregate: 'count' })[0]?.points).toEqual([{ time: T0, value: 3 }]);
    expect(reader.range({ ...query, step: MINUTE, aggregate: 'avg' })[0]?.points).toEqual([{ time: T0, value: 3 }]);
    expect(reader.range({ ...query, step: HOUR, aggregate: 'max' })[0]?.points).toEqual([{ time: T0, value: 5 }]);
    expect(reader.range({ ...query, step: 10 * SECOND, aggregate: 'last' })[0]?.points.map((p) => p.value)).toEqual([1, 3, 5]);
    expect(reader.latest('api')).toMatchObject([{ value: 5, time: T0 + 20 * SECOND }]);
    expect(reader.alerts({ firing: true })).toMatchObject([{ service: 'api', level: 'critical' }]);
  });

  it('is read by a read-only connection, which never creates the tables', async () => {
    const empty = openStore(path);
    empty.close();
    const before = new Database(path, { readonly: true });
    opened.push(before);
    const early = createHistoryReader(before);
    expect(early.available()).toBe(false);
    expect(early.services()).toEqual([]);
    expect(early.latest('api')).toEqual([]);
    expect(early.alerts()).toEqual([]);
    expect(early.range({ service: 'api', metric: 'cpu', since: 0, until: 1, step: 1, aggregate: 'avg' })).toEqual([]);

    // The agent writes while the read-only connection stays open: the reader sees the tables appear.
    const store = openStore(path);
    const scheduler = new HistoryClock();
    scheduler.advanceTo(T0);
    const ctx = createTestContext({ id: 'history', scheduler, store });
    const exporter = createHistoryExporter(config(), ctx);
    await exporter.start!();
    exporter.consume([point(seriesOf('api', 'cpu'), T0, 0.25)], 'metrics');
    exporter.consume([event({ service: 'api', level: 'warning', time: T0 })], 'alerts');
    scheduler.advanceBy(SECOND);

    expect(early.available()).toBe(true);
    expect(early.latest('api')).toMatchObject([{ value: 0.25 }]);
    const reader = new Database(path, { readonly: true, fileMustExist: true });
    opened.push(reader);
    const history = createHistoryReader(reader);
    expect(history.services()).toEqual([{ service: 'api', level: 'warning', levelSince: T0, lastPoint: T0, lastEvent: T0, firing: 1 }]);
    expect(history.range({ service: 'api', metric: 'cpu', since: T0, until: T0 + MINUTE, step: MINUTE, aggregate: 'p95' })[0]?.points[0]?.value).toBeCloseTo(0.25, 2);
    await exporter.shutdown();
    store.close();
  });

  it('answers empty on a store whose history was never written, without creating anything', () => {
    const store = openStore(path);
    store.close();
    const db = new Database(path);
    opened.push(db);
    const reader = createHistoryReader(db);
    expect(reader.available()).toBe(false);
    expect(reader.services()).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'history_%'").pluck().get()).toBe(0);
  });
});
