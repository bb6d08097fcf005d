import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HistorySketch, HISTORY_MIGRATIONS, createHistoryReader, encodeRawChunk } from '../src/history/index.js';
import type { RangeQuery } from '../src/history/reader.js';
import { openStore } from '../src/storage/index.js';
import { median } from './scheduling.js';
import type { BenchRow } from './types.js';

export const QUERY_SERIES = 10_000;
const SERIES_PER_SERVICE = 10;
const MINUTE = 60_000;
const DAY_MINUTES = 1_440;
const INTERVAL = 15_000;
const START = 1_700_000_040_000 - (1_700_000_040_000 % MINUTE);
const VARIANTS = 256;
const REPEATS = 11;
export const QUERIED = 'svc-50';

interface Cell {
  readonly figures: [count: number, sum: number, min: number, max: number, last: number];
  readonly sketch: Buffer;
}

/** Cells of 4 points (a 15 s interval), durations spread like a service's: made once, reused round. */
function cellVariants(): Cell[] {
  let state = 17;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: VARIANTS }, () => {
    const values = [0, 1, 2, 3].map(() => 0.005 * Math.exp(next() * 4));
    const sketch = new HistorySketch();
    for (const value of values) sketch.add(value);
    return {
      figures: [4, values.reduce((a, b) => a + b, 0), Math.min(...values), Math.max(...values), values[3]!],
      sketch: sketch.encode(),
    };
  });
}

/**
 * A store holding 24 h of 1 min (and 1 h) rollups for `seriesCount` series, written straight
 * into the history's tables by SQL (cells from a few pre-encoded variants, in key order), and
 * the raw points (15 s) of the one queried service. The tables come from the store's own
 * migrations; only the fill runs without a journal and with a large cache, and the file is
 * left as the agent leaves it (WAL), so the store under test is a normal store file.
 */
export function buildStore(path: string, queried: string, seriesCount = QUERY_SERIES): void {
  const store = openStore(path);
  store.component('bench').tables('history', HISTORY_MIGRATIONS);
  store.close();
  const db = new Database(path);
  try {
    // Only for the fill: a crash would lose the bench's own file, nothing else.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -262144');
    fillStore(db, queried, seriesCount);
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

function fillStore(db: Database.Database, queried: string, seriesCount: number): void {
  // Built after the fill, the cleanup index does not slow the bulk load; the query does not use it.
  db.exec('DROP INDEX history_rollup_1m_bucket');
  const cells = cellVariants();
  const hourSketch = new HistorySketch();
  for (const cell of cells.slice(0, 60)) hourSketch.mergeEncoded(cell.sketch);
  db.exec('CREATE TEMP TABLE variants (i INTEGER PRIMARY KEY, count, sum, min, max, last, sketch)');
  const variant = db.prepare('INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?, ?)');
  cells.forEach((cell, i) => variant.run(i, ...cell.figures, cell.sketch));
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE ids(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM ids WHERE id < ?)
       INSERT INTO history_series (id, service, metric, unit, attributes, last_time, last_value)
       SELECT id, 'svc-' || ((id - 1) / ${SERIES_PER_SERVICE}), 'http.server.duration', 's', '{"route":"/r' || ((id - 1) % ${SERIES_PER_SERVICE}) || '"}', ?, 0.01 FROM ids`,
    ).run(seriesCount, START + DAY_MINUTES * MINUTE);
    // CROSS JOIN keeps series outermost, so rows arrive in key order (appends, no sort).
    db.prepare(
      `WITH RECURSIVE minutes(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM minutes WHERE m < ${DAY_MINUTES - 1})
       INSERT INTO history_rollup_1m
       SELECT s.id, ? + m * ${MINUTE}, v.count, v.sum, v.min, v.max, v.last, ? + m * ${MINUTE} + 45000, v.sketch
       FROM history_series s CROSS JOIN minutes CROSS JOIN variants v WHERE v.i = (s.id * 31 + m) % ${VARIANTS}`,
    ).run(START, START);
    db.prepare(
      `WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23)
       INSERT INTO history_rollup_1h SELECT s.id, ? + h * 3600000, 240, 2.4, 0.005, 0.27, 0.01, ? + h * 3600000 + 3585000, ?
       FROM history_series s CROSS JOIN hours`,
    ).run(START, START, hourSketch.encode());
    // As the exporter writes them: a chunk per write, one point each at a 15 s interval.
    const insertRaw = db.prepare('INSERT INTO history_raw (series_id, start_time, end_time, count, points) VALUES (?, ?, ?, ?, ?)');
    const ids = db.prepare('SELECT id FROM history_series WHERE service = ?').pluck().all(queried) as number[];
    for (const id of ids) {
      for (let time = START; time < START + DAY_MINUTES * MINUTE; time += INTERVAL) {
        insertRaw.run(id, time, time, 1, encodeRawChunk([time], [0.005 * Math.exp(((time / INTERVAL) % 97) / 24)]));
      }
    }
  })();
  db.exec('CREATE INDEX history_rollup_1m_bucket ON history_rollup_1m (bucket)');
  db.exec('DROP TABLE variants');
}

function timeQuery(run: () => number): { first: number; median: number; cpu: number } {
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const points = run();
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    if (points !== SERIES_PER_SERVICE * 288) throw new Error(`bench: the query answered ${points} points`);
  }
  return { first: times[0]!, median: median(times.slice(1)), cpu: median(cpus.slice(1)) };
}

export function queryRows(): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-query-'));
  const path = join(dir, 'healthpipe.db');
  const queried = QUERIED;
  try {
    const built = performance.now();
    buildStore(path, queried);
    const buildSeconds = (performance.now() - built) / 1000;
    // As `healthpipe status` reads a running agent's store: a read-only connection.
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const reader = createHistoryReader(db);
      const query: RangeQuery = { service: queried, metric: 'http.server.duration', since: START, until: START + DAY_MINUTES * MINUTE, step: 5 * MINUTE, aggregate: 'p95' };
      const count = (q: RangeQuery) => () => reader.range(q).reduce((sum, series) => sum + series.points.length, 0);
      const rollups = timeQuery(count(query));
      const raw = timeQuery(count({ ...query, resolution: 'raw' }));
      const shape = `${QUERY_SERIES.toLocaleString('en-US')} series × 1,440 min rollups (14.4 M rows, built in ${buildSeconds.toFixed(0)} s); 10 series × 288 steps; read-only connection`;
      return [
        { name: 'history: one service\'s 10 series over 24 h at a 5 min step, p95 (1 min rollups)', value: rollups.median, unit: 'ms', role: 'measured', note: `median of ${REPEATS - 1} after a first of ${rollups.first.toFixed(1)} ms; CPU ${rollups.cpu.toFixed(1)} ms. ${shape}` },
        { name: 'the same query over raw points (exact p95)', value: raw.median, unit: 'ms', role: 'reference', note: `57,600 points at 15 s in 57,600 chunks; first ${raw.first.toFixed(1)} ms; CPU ${raw.cpu.toFixed(1)} ms` },
      ];
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
