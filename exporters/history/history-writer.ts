import type BetterSqlite3 from 'better-sqlite3';
import type { HealthEvent, MetricPoint, Series, StoreDatabase } from '../../src/index.js';
import { HOUR_MS, MINUTE_MS, encodeRawChunk, floorMod } from '../../src/index.js';
import { RollupCell, cellOfRow, type RollupRow } from './rollup-cell.js';
import { SeriesState, historyKey, identityOf } from './series-state.js';

/** What one write took. */
export interface WriteResult {
  readonly points: number;
  readonly events: number;
  /** Points skipped because their value was NaN or infinite. */
  readonly notANumber: number;
  readonly infinite: number;
}

type Statement = BetterSqlite3.Statement<unknown[]>;

/** How far ahead of the clock a series' stored newest point may be before a point older than it replaces it. */
export const FUTURE_SKEW_MS = 60_000;

interface RollupStatements {
  readonly width: number;
  readonly select: Statement;
  readonly upsert: Statement;
}

function rollupStatements(db: StoreDatabase, table: string, width: number): RollupStatements {
  return {
    width,
    select: db.prepare(`SELECT count, sum, min, max, last, last_time, sketch FROM ${table} WHERE series_id = ? AND bucket = ?`).raw(),
    upsert: db.prepare(
      `INSERT INTO ${table} (series_id, bucket, count, sum, min, max, last, last_time, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, bucket) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min,
       max = excluded.max, last = excluded.last, last_time = excluded.last_time, sketch = excluded.sketch`,
    ),
  };
}

/**
 * Writes points and events into the history's tables, each call in one transaction: per
 * series one raw chunk, its minute and hour rollups upserted whole (the writer holds the
 * open cells, so it never reads a row it wrote), its newest value; per event a row in the
 * log and its alert's latest state. Per-series state is bounded by `maxSeries`, least
 * recently written forgotten first (read back from the store if it writes again).
 */
export class HistoryWriter {
  private readonly states = new Map<string, SeriesState>();
  /** Series whose hour cell holds points its row does not yet. */
  private readonly pendingHours = new Set<SeriesState>();
  private readonly bySeries = new WeakMap<Series, SeriesState>();
  private writes = 0;
  private readonly selectSeries: Statement;
  private readonly insertSeries: Statement;
  private readonly updateLast: Statement;
  private readonly insertRaw: Statement;
  private readonly minute: RollupStatements;
  private readonly hour: RollupStatements;
  private readonly minutesOfHour: Statement;
  private readonly insertEvent: Statement;
  private readonly upsertAlert: Statement;

  constructor(
    private readonly db: StoreDatabase,
    private readonly maxSeries: number,
  ) {
    this.selectSeries = db.prepare('SELECT id, last_time FROM history_series WHERE service = ? AND metric = ? AND unit = ? AND attributes = ?').raw();
    this.insertSeries = db.prepare('INSERT INTO history_series (service, metric, unit, attributes) VALUES (?, ?, ?, ?)');
    this.updateLast = db.prepare('UPDATE history_series SET last_time = ?, last_value = ? WHERE id = ?');
    this.insertRaw = db.prepare('INSERT INTO history_raw (series_id, start_time, end_time, count, points) VALUES (?, ?, ?, ?, ?)');
    this.minute = rollupStatements(db, 'history_rollup_1m', MINUTE_MS);
    this.hour = rollupStatements(db, 'history_rollup_1h', HOUR_MS);
    this.minutesOfHour = db
      .prepare('SELECT count, sum, min, max, last, last_time, sketch FROM history_rollup_1m WHERE series_id = ? AND bucket >= ? AND bucket < ?')
      .raw();
    this.insertEvent = db.prepare(
      `INSERT INTO history_events (time, fingerprint, service, rule, level, previous_level, state, value, threshold, threshold_text,
       message, starts_at, ends_at, window, labels, annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertAlert = db.prepare(
      // level_since changes with the level only: a repeat or a state change at the same level keeps it.
      `INSERT INTO history_alerts (fingerprint, service, level, state, time, event_id, level_since) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET service = excluded.service, level = excluded.level, state = excluded.state,
       time = excluded.time, event_id = excluded.event_id,
       level_since = CASE WHEN history_alerts.level = excluded.level THEN coalesce(history_alerts.level_since, history_alerts.time) ELSE excluded.time END
       WHERE excluded.time >= history_alerts.time`,
    );
  }

  /** Series held in memory now. */
  get heldSeries(): number {
    return this.states.size;
  }

  /**
   * Writes everything in one IMMEDIATE transaction. A failure rolls all of it back and
   * forgets every held series (the rows they mirror may not hold what was added), then rethrows.
   */
  write(points: readonly MetricPoint[], events: readonly HealthEvent[], now = Number.POSITIVE_INFINITY): WriteResult {
    try {
      return this.db.transaction(() => this.writeInTransaction(points, events, now)).immediate();
    } catch (error) {
      this.forgetAll();
      throw error;
    }
  }

  /** Forgets the held state of series whose rows were removed (their keys, from `historyKey`). */
  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      const state = this.states.get(key);
      if (state === undefined) continue;
      state.evicted = true;
      this.states.delete(key);
      this.pendingHours.delete(state);
    }
  }

  forgetAll(): void {
    for (const state of this.states.values()) state.evicted = true;
    this.states.clear();
    this.pendingHours.clear();
  }

  private writeInTransaction(points: readonly MetricPoint[], events: readonly HealthEvent[], now: number): WriteResult {
    const mark = ++this.writes;
    const touched: SeriesState[] = [];
    let notANumber = 0;
    let infinite = 0;
    let written = 0;
    for (const point of points) {
      if (point.stale === true) continue;
      const value = point.value;
      if (!Number.isFinite(value)) {
        if (Number.isNaN(value)) notANumber += 1;
        else infinite += 1;
        continue;
      }
      const state = this.stateOf(point.series);
      if (state.mark !== mark) {
        state.mark = mark;
        state.times.length = 0;
        state.values.length = 0;
        touched.push(state);
      }
      state.times.push(point.time);
      state.values.push(value);
      written += 1;
    }
    let newest = Number.NEGATIVE_INFINITY;
    for (const state of touched) {
      this.writeSeries(state, now);
      if (state.lastTime > newest) newest = state.lastTime;
    }
    if (this.pendingHours.size > 0 && newest > Number.NEGATIVE_INFINITY) this.writeIdleHours(newest - floorMod(newest, MINUTE_MS));
    for (const event of events) this.writeEvent(event);
    this.bound(touched);
    return { points: written, events: events.length, notANumber, infinite };
  }

  private writeSeries(state: SeriesState, now: number): void {
    sortByTime(state);
    const { times, values } = state;
    const count = times.length;
    this.insertRaw.run(state.id, times[0]!, times[count - 1]!, count, encodeRawChunk(times, values));
    const current = hourOf(state.lastTime);
    for (let i = 0; i < count; i++) {
      const time = times[i]!;
      const value = values[i]!;
      state.minute = this.cellFor(state, state.minute, this.minute, time);
      state.minute.add(time, value);
      state.hour = this.hourCellFor(state, time);
      state.hour.add(time, value);
    }
    this.writeCell(state, state.minute!, this.minute);
    // Readers take a series' newest hour from its minute rows, so its hour row may lag: it is
    // written at the first write of each minute (and by `writeIdleHours`), not at every write.
    // A past hour that late points reopened is written now.
    if (state.hour!.bucket < current || state.hourWrittenAt !== state.minute!.bucket) this.writeHour(state);
    else if (state.hour!.dirty) this.pendingHours.add(state);
    const newest = times[count - 1]!;
    // A newest value stored ahead of the clock (a clock stepped back, one bad timestamp) would
    // hide every later value: past FUTURE_SKEW_MS it gives way.
    if (newest >= state.lastTime || state.lastTime > now + FUTURE_SKEW_MS) {
      state.lastTime = newest;
      this.updateLast.run(newest, values[count - 1]!, state.id);
    }
    state.times.length = 0;
    state.values.length = 0;
  }

  /** The cell of `time`'s bucket: the open one, or (writing the open one out first) the stored or a new one. */
  private cellFor(state: SeriesState, open: RollupCell | undefined, rollup: RollupStatements, time: number): RollupCell {
    const bucket = time - floorMod(time, rollup.width);
    if (open !== undefined && open.bucket === bucket) return open;
    if (open !== undefined) this.writeCell(state, open, rollup);
    const row = rollup.select.get(state.id, bucket) as RollupRow | undefined;
    return row === undefined ? new RollupCell(bucket) : cellOfRow(bucket, row);
  }

  /**
   * The hour cell of `time`. Closing the open one writes it. The newest hour (and any newer)
   * is rebuilt from its minute rows, which every write keeps whole; an older one is read from
   * its row. A newest hour the writer did not hold (a restart, an eviction) is written whole
   * from its minute rows as the series moves past it, so every past hour has its row.
   */
  private hourCellFor(state: SeriesState, time: number): RollupCell {
    const bucket = time - floorMod(time, HOUR_MS);
    const open = state.hour;
    if (open !== undefined && open.bucket === bucket) return open;
    if (open !== undefined) this.writeCell(state, open, this.hour);
    const current = hourOf(state.lastTime);
    if (bucket > current && current > Number.NEGATIVE_INFINITY && open?.bucket !== current) {
      const left = this.minutesCell(state, current);
      left.dirty = left.count > 0;
      this.writeCell(state, left, this.hour);
    }
    if (bucket >= current) return this.minutesCell(state, bucket);
    const row = this.hour.select.get(state.id, bucket) as RollupRow | undefined;
    return row === undefined ? this.minutesCell(state, bucket) : cellOfRow(bucket, row);
  }

  /** The hour cell of `bucket` as its minute rows hold it. */
  private minutesCell(state: SeriesState, bucket: number): RollupCell {
    const cell = new RollupCell(bucket);
    for (const row of this.minutesOfHour.all(state.id, bucket, bucket + HOUR_MS) as RollupRow[]) {
      cell.addFigures(row[0], row[1], row[2], row[3], row[4], row[5]);
      cell.sketch.mergeEncoded(row[6]);
    }
    return cell;
  }

  private writeHour(state: SeriesState): void {
    this.writeCell(state, state.hour!, this.hour);
    state.hourWrittenAt = state.minute!.bucket;
    this.pendingHours.delete(state);
  }

  /**
   * Writes the hour rows left behind by series that wrote nothing since their minute ended
   * (before `minute`), so an idle series' hour row is whole within about a minute.
   */
  private writeIdleHours(minute: number): void {
    for (const state of this.pendingHours) {
      if (state.lastTime - floorMod(state.lastTime, MINUTE_MS) < minute) this.writeHour(state);
    }
  }

  /** Writes every hour row that lags its minute rows: at shutdown, so a restart finds them whole. */
  writeOpenHours(): void {
    if (this.pendingHours.size === 0) return;
    try {
      this.db.transaction(() => {
        for (const state of this.pendingHours) this.writeHour(state);
      }).immediate();
    } catch (error) {
      this.forgetAll();
      throw error;
    }
  }

  private writeCell(state: SeriesState, cell: RollupCell, rollup: RollupStatements): void {
    if (!cell.dirty) return;
    rollup.upsert.run(state.id, cell.bucket, cell.count, cell.sum, cell.min, cell.max, cell.last, cell.lastTime, cell.sketch.encode());
    cell.dirty = false;
  }

  private writeEvent(event: HealthEvent): void {
    const id = this.insertEvent.run(
      event.time,
      event.fingerprint,
      event.service,
      event.rule,
      event.level,
      event.previousLevel,
      event.state,
      finiteOrNull(event.value),
      finiteOrNull(event.threshold),
      event.thresholdText ?? null,
      event.message ?? null,
      event.startsAt,
      event.endsAt ?? null,
      event.window ?? null,
      JSON.stringify(event.labels),
      event.annotations === undefined ? null : JSON.stringify(event.annotations),
    ).lastInsertRowid;
    this.upsertAlert.run(event.fingerprint, event.service, event.level, event.state, event.time, id, event.time);
  }

  private stateOf(series: Series): SeriesState {
    const known = this.bySeries.get(series);
    if (known !== undefined && !known.evicted) return known;
    const identity = identityOf(series);
    const key = historyKey(identity);
    let state = this.states.get(key);
    if (state === undefined) {
      const row = this.selectSeries.get(identity.service, identity.metric, identity.unit, identity.attributes) as [number, number | null] | undefined;
      if (row !== undefined) state = new SeriesState(key, row[0], row[1] ?? Number.NEGATIVE_INFINITY);
      else {
        const id = Number(this.insertSeries.run(identity.service, identity.metric, identity.unit, identity.attributes).lastInsertRowid);
        state = new SeriesState(key, id, Number.NEGATIVE_INFINITY);
      }
      this.states.set(key, state);
    }
    this.bySeries.set(series, state);
    return state;
  }

  /** Keeps the series just written as the most recent, and forgets the least recent past `maxSeries`. */
  private bound(touched: readonly SeriesState[]): void {
    for (const state of touched) {
      if (state.evicted) continue;
      this.states.delete(state.key);
      this.states.set(state.key, state);
    }
    for (const [key, state] of this.states) {
      if (this.states.size <= this.maxSeries) break;
      if (this.pendingHours.has(state)) this.writeHour(state);
      state.evicted = true;
      this.states.delete(key);
    }
  }
}

/** Sorts a series' points of one write by time, when they came out of order (stable for equal times). */
function sortByTime(state: SeriesState): void {
  const { times, values } = state;
  let ordered = true;
  for (let i = 1; i < times.length && ordered; i++) ordered = times[i - 1]! <= times[i]!;
  if (ordered) return;
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  state.times = order.map((i) => times[i]!);
  state.values = order.map((i) => values[i]!);
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The start of the hour of `time`; -Infinity for a series that never had a point. */
function hourOf(time: number): number {
  return Number.isFinite(time) ? time - floorMod(time, HOUR_MS) : Number.NEGATIVE_INFINITY;
}

