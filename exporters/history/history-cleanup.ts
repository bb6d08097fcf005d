import type BetterSqlite3 from 'better-sqlite3';
import type { ComponentTelemetry, StoreDatabase } from '../../src/index.js';
import type { Retention } from './config.js';
import { historyKey } from './series-state.js';

type Statement = BetterSqlite3.Statement<unknown[]>;

/** One table of rollups as cleanup sees it. */
interface RollupTable {
  readonly resolution: '1m' | '1h';
  readonly deleteOlder: Statement;
  readonly deleteOldest: Statement;
}

function rollupTable(db: StoreDatabase, resolution: '1m' | '1h'): RollupTable {
  const table = `history_rollup_${resolution}`;
  const oldestCells = `SELECT series_id, bucket FROM ${table} ORDER BY bucket LIMIT ?`;
  return {
    resolution,
    deleteOlder: db.prepare(
      `DELETE FROM ${table} WHERE (series_id, bucket) IN (SELECT series_id, bucket FROM ${table} WHERE bucket < ? ORDER BY bucket LIMIT ?)`,
    ),
    deleteOldest: db.prepare(`DELETE FROM ${table} WHERE (series_id, bucket) IN (${oldestCells})`),
  };
}

/**
 * Removes what is past its age, and the oldest data while the store is over its size, in
 * steps of at most `batch` rows per table, so one step holds the store for milliseconds.
 * Every removal is counted as `dropped` with its reason.
 */
export class HistoryCleanup {
  private readonly oldestRaw: Statement;
  private readonly deleteRawUpTo: Statement;
  private readonly deleteRawOlder: Statement;
  private readonly otherNames: Statement;
  private readonly pagesOf: Statement;
  /** False once dbstat failed: the whole file is then measured (and a warning said so). */
  private dbstat = true;
  private readonly minute: RollupTable;
  private readonly hour: RollupTable;
  private readonly deleteEvents: Statement;
  private readonly deleteAlerts: Statement;
  private readonly staleSeries: Statement;
  private readonly deleteSeries: Statement;

  constructor(
    private readonly db: StoreDatabase,
    private readonly retention: Retention,
    private readonly maxSize: number,
    private readonly batch: number,
    private readonly telemetry: ComponentTelemetry,
    /** Told the keys of series whose rows went, so the writer forgets them. */
    private readonly forget: (keys: string[]) => void,
    /** Told, once each, why the size cap cannot do its job. */
    private readonly warn: (key: string, message: string) => void = () => undefined,
  ) {
    this.oldestRaw = db.prepare('SELECT id, end_time, count FROM history_raw ORDER BY id LIMIT ?').raw();
    this.deleteRawUpTo = db.prepare('DELETE FROM history_raw WHERE id <= ?');
    // By end time (indexed), not write order: one chunk from the future must not hold back the rest.
    this.deleteRawOlder = db.prepare(
      'DELETE FROM history_raw WHERE id IN (SELECT id FROM history_raw WHERE end_time < ? ORDER BY end_time LIMIT ?) RETURNING count',
    );
    this.otherNames = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'history\\_%' ESCAPE '\\'").pluck();
    this.pagesOf = db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?').pluck();
    this.minute = rollupTable(db, '1m');
    this.hour = rollupTable(db, '1h');
    // The latest event of an alert that still fires stays, so `alerts({ firing })` keeps it.
    this.deleteEvents = db.prepare(
      `DELETE FROM history_events WHERE id IN (SELECT id FROM history_events WHERE time < ?
       AND id NOT IN (SELECT event_id FROM history_alerts WHERE state = 'firing') ORDER BY time LIMIT ?)`,
    );
    this.deleteAlerts = db.prepare(
      `DELETE FROM history_alerts WHERE fingerprint IN (SELECT fingerprint FROM history_alerts WHERE state != 'firing' AND time < ? LIMIT ?)`,
    );
    this.staleSeries = db.prepare('SELECT id, service, metric, unit, attributes FROM history_series WHERE last_time < ? LIMIT ?');
    this.deleteSeries = db.prepare('DELETE FROM history_series WHERE id = ?');
  }

  /** One step at `now`; true when it left work for the next (a full batch, or still over size). */
  step(now: number): boolean {
    let more = false;
    more = this.expireRaw(now - this.retention.raw) || more;
    for (const table of [this.minute, this.hour]) {
      const removed = table.deleteOlder.run(now - this.retention[table.resolution], this.batch).changes;
      if (removed > 0) this.telemetry.dropped(removed, { reason: `retention_${table.resolution}`, signal: 'metrics' });
      more = removed >= this.batch || more;
    }
    const events = this.deleteEvents.run(now - this.retention.events, this.batch).changes;
    if (events > 0) this.telemetry.dropped(events, { reason: 'retention_events', signal: 'alerts' });
    more = events >= this.batch || more;
    this.deleteAlerts.run(now - this.retention.events, this.batch);
    more = this.forgetSeries(now - Math.max(this.retention.raw, this.retention['1m'], this.retention['1h'])) || more;
    more = this.capSize() || more;
    return more;
  }

  /** The store's pages in use, in bytes: what `max_size` bounds. */
  usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /** Raw chunks whose newest point is older than `cutoff`, oldest first. */
  private expireRaw(cutoff: number): boolean {
    const rows = this.deleteRawOlder.all(cutoff, this.batch) as Array<{ count: number }>;
    if (rows.length === 0) return false;
    this.telemetry.dropped(
      rows.reduce((sum, row) => sum + row.count, 0),
      { reason: 'retention_raw', signal: 'metrics' },
    );
    return rows.length >= this.batch;
  }

  /**
   * The bytes the history's own tables hold, about: the file's pages in use less those of
   * every other table and index (event log, outbox, other components), which `max_size`
   * does not bound. Only measured when the whole file is over (dbstat reads the others'
   * pages, usually few); without dbstat, the whole file.
   */
  historyBytes(): number {
    const whole = this.usedBytes();
    if (whole <= this.maxSize || !this.dbstat) return whole;
    try {
      let others = 0;
      for (const name of this.otherNames.all() as string[]) others += this.pagesOf.get(name) as number;
      return whole - others;
    } catch (error) {
      this.dbstat = false;
      this.warn('history-size-dbstat', `history max_size: cannot measure the history's own tables (${error instanceof Error ? error.message : String(error)}); the whole store is measured`);
      return whole;
    }
  }

  private forgetSeries(cutoff: number): boolean {
    const rows = this.staleSeries.all(cutoff, this.batch) as Array<{ id: number; service: string; metric: string; unit: string; attributes: string }>;
    if (rows.length === 0) return false;
    this.db.transaction(() => {
      for (const row of rows) this.deleteSeries.run(row.id);
    })();
    this.forget(rows.map((row) => historyKey(row)));
    return rows.length >= this.batch;
  }

  /** Over `max_size`: the oldest raw points go first, then 1 min rollups, then 1 h rollups. */
  private capSize(): boolean {
    if (this.historyBytes() <= this.maxSize) return false;
    const rows = this.oldestRaw.all(this.batch) as Array<[number, number, number]>;
    if (rows.length > 0) {
      this.deleteRawUpTo.run(rows[rows.length - 1]![0]);
      this.telemetry.dropped(
        rows.reduce((sum, row) => sum + row[2], 0),
        { reason: 'max_size_raw', signal: 'metrics' },
      );
      return true;
    }
    for (const table of [this.minute, this.hour]) {
      const removed = table.deleteOldest.run(this.batch).changes;
      if (removed === 0) continue;
      this.telemetry.dropped(removed, { reason: `max_size_${table.resolution}`, signal: 'metrics' });
      return true;
    }
    this.warn('history-size-empty', 'history max_size: the store is over it with no history points left: other data fills it');
    return false;
  }
}
