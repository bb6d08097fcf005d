import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHistoryExporter } from '../exporters/history/exporter.js';
import { historyConfigSchema } from '../exporters/history/config.js';
import { Resource, SeriesSet, type Series } from '../src/model/series.js';
import type { MetricPoint } from '../src/model/point.js';
import { openStore } from '../src/storage/index.js';
import { JsonLogger, MemoryLogSink } from '../src/telemetry/logger.js';
import { CountingTelemetry } from '../src/telemetry/counters.js';
import { DiscoveryBoard } from '../src/component/discovery-board.js';
import { ComponentStatusBoard } from '../src/runtime/status-board.js';
import { StoredSilenceBook } from '../src/alerts/silence-book.js';
import { BenchClock } from './window.js';
import { median } from './scheduling.js';
import type { BenchRow } from './types.js';

/** An agent's shape: 1,000 resources of 10 series each, one point per series per interval. */
export const INSERT_SERIES = 10_000;
const SERIES_PER_RESOURCE = 10;
const INTERVALS = 60;
/** Points that trigger a write (the exporter's default): 10 intervals of every series per transaction. */
const BATCH_SIZE = 100_000;
const START = 1_700_000_000_000;
/** Points the autocommit reference inserts: it is slow enough that more adds nothing. */
const REFERENCE_POINTS = 5_000;

export function benchSeries(count: number): Series[] {
  const series: Series[] = [];
  for (let r = 0; r < count / SERIES_PER_RESOURCE; r++) {
    const set = new SeriesSet(new Resource({ 'service.name': `svc-${r}`, 'service.instance.id': `svc-${r}-1` }));
    for (let m = 0; m < SERIES_PER_RESOURCE; m++) set.get({ name: `metric.${m}`, unit: 's', kind: 'gauge' }, { aggregate: 'mean' });
    series.push(...[...Array(SERIES_PER_RESOURCE).keys()].map((m) => set.get({ name: `metric.${m}`, unit: 's', kind: 'gauge' }, { aggregate: 'mean' })));
  }
  return series;
}

function cpuSeconds(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/**
 * Points per CPU-second through the `history` exporter (consume, linger-free size-triggered
 * writes, flush) into a store file with the store's own settings: WAL, synchronous=NORMAL.
 */
function exporterRate(series: readonly Series[]): { rate: number; wall: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const store = openStore(join(dir, 'healthpipe.db'));
  const scheduler = new BenchClock(START);
  try {
    const ctx = {
      id: 'history',
      scheduler,
      logger: new JsonLogger({ level: 'warn', sink: new MemoryLogSink(), now: () => scheduler.now(), component: 'history' }),
      telemetry: new CountingTelemetry(),
      storage: store.component('history'),
      discovery: new DiscoveryBoard().forComponent('history'),
      status: new ComponentStatusBoard(() => scheduler.now()).reporterFor('history', 'exporter'),
      silences: new StoredSilenceBook(store.component('healthpipe').keyed('silences'), () => scheduler.now()),
    };
    const exporter = createHistoryExporter(historyConfigSchema.parse({ batch_size: BATCH_SIZE }), ctx);
    const batches: MetricPoint[][] = [];
    for (let i = 0; i < INTERVALS; i++) {
      const time = START + i * 1_000;
      batches.push(series.map((s, n) => ({ series: s, time, value: ((n * 7 + i * 13) % 1000) / 100 })));
    }
    const wallStart = performance.now();
    const before = process.cpuUsage();
    for (const batch of batches) exporter.consume(batch, 'metrics');
    void exporter.flush();
    const seconds = cpuSeconds(before);
    const wall = (performance.now() - wallStart) / 1000;
    if (ctx.telemetry.countOf('sent', { signal: 'metrics' }) !== INTERVALS * series.length) throw new Error('bench: points missing');
    void exporter.shutdown();
    return { rate: (INTERVALS * series.length) / seconds, wall: (INTERVALS * series.length) / wall };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The references: a row per point with its (series, time) index, one INSERT per commit, or all in one transaction. */
function plainInsertRate(transaction: boolean, points: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-ref-'));
  const db = new Database(join(dir, 'plain.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, value REAL NOT NULL); CREATE INDEX points_series ON points (series_id, time)');
    const insert = db.prepare('INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)');
    const one = (i: number) => insert.run(i % INSERT_SERIES, START + Math.floor(i / INSERT_SERIES) * 1_000, i % 1000);
    const before = process.cpuUsage();
    if (transaction) db.transaction(() => { for (let i = 0; i < points; i++) one(i); })();
    else for (let i = 0; i < points; i++) one(i);
    return points / cpuSeconds(before);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function insertRows(): BenchRow[] {
  const series = benchSeries(INSERT_SERIES);
  const runs = [0, 1, 2].map(() => exporterRate(series));
  const reference = median([0, 1, 2].map(() => plainInsertRate(false, REFERENCE_POINTS)));
  const batched = median([0, 1, 2].map(() => plainInsertRate(true, 200_000)));
  const settings = `${INSERT_SERIES.toLocaleString('en-US')} series, ${INTERVALS} intervals of one point each, a write per ${BATCH_SIZE.toLocaleString('en-US')} points; store file with WAL, synchronous=NORMAL`;
  return [
    { name: 'history exporter: points inserted per CPU-second', value: median(runs.map((r) => r.rate)), unit: 'points/s', role: 'measured', note: settings },
    { name: 'history exporter: points inserted per wall-second', value: median(runs.map((r) => r.wall)), unit: 'points/s', role: 'measured', note: 'same runs, wall time (WAL writes included)' },
    { name: 'plain INSERT per point, one commit each', value: reference, unit: 'points/s', role: 'reference', note: `row per point with a (series, time) index, autocommit, ${REFERENCE_POINTS.toLocaleString('en-US')} points` },
    { name: 'plain INSERT per point, one transaction', value: batched, unit: 'points/s', role: 'reference', note: 'the same rows, 200,000 in one transaction: the index insert per point is what chunks avoid' },
  ];
}
