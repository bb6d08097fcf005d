import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { AttributeValue } from '../model/attributes.js';
import type { EventState, Level } from '../model/event.js';
import type {
  AlertQuery,
  AlertRecord,
  HistoryReader,
  LatestValue,
  RangeQuery,
  RangeSeries,
  ServiceOverview,
} from './reader.js';
import { HOUR_MS, MINUTE_MS } from './schema.js';
import { forEachRawPoint } from './raw-chunk.js';
import { floorMod } from './varint.js';
import { StepAggregate, quantileOf } from './step-aggregate.js';
import { BucketList, skipSketch } from './bucket-list.js';

/** Steps one range query may span: a day at 1 s is 86,400. */
export const MAX_RANGE_STEPS = 100_000;
const DEFAULT_ALERT_LIMIT = 100;
const MAX_ALERT_LIMIT = 1_000;

const TABLES = ['history_series', 'history_raw', 'history_rollup_1m', 'history_rollup_1h', 'history_events', 'history_alerts'];

/**
 * How severe a level is when a service's alerts disagree: the most severe latest level of
 * its alerts is the service's. `unknown` (no data) ranks above `info`, below `warning`.
 */
const SEVERITY: Readonly<Record<Level, number>> = { info: 0, unknown: 1, warning: 2, error: 3, critical: 4 };

type Resolution = RangeSeries['resolution'];
type Point = { time: number; value: number };

interface SeriesRow {
  id: number;
  last_time: number | null;
  metric: string;
  unit: string;
  attributes: string;
}

interface EventRow {
  time: number;
  fingerprint: string;
  service: string;
  rule: string;
  level: Level;
  previous_level: Level;
  state: EventState;
  value: number | null;
  threshold: number | null;
  threshold_text: string | null;
  message: string | null;
  starts_at: number;
  ends_at: number | null;
  labels: string;
}

/**
 * The HistoryReader over a store the `history` exporter wrote: the agent's own connection,
 * or one opened read-only by `healthpipe status` while the agent runs. It never creates nor
 * migrates anything: a store without the history tables is `available() === false` and
 * every query answers empty, until the tables appear.
 */
export function createHistoryReader(db: Database.Database): HistoryReader {
  return new StoreHistoryReader(db);
}

class StoreHistoryReader implements HistoryReader {
  private ready = false;
  /** The column (expression) of when an alert reached its level. */
  private levelSince = 'time';
  private readonly statements = new Map<string, Statement>();
  /** Reused by every quantile over rollups (queries are synchronous). */
  private buckets: BucketList | undefined;

  constructor(private readonly db: Database.Database) {}

  available(): boolean {
    if (this.ready) return true;
    const found = this.db
      .prepare<unknown[], number>(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (${TABLES.map(() => '?').join(', ')})`)
      .pluck()
      .get(...TABLES);
    this.ready = found === TABLES.length;
    if (this.ready) {
      // A store of the first schema (read-only, its agent not yet upgraded) has no level_since.
      const columns = this.db.prepare<unknown[], string>("SELECT name FROM pragma_table_info('history_alerts')").pluck().all();
      this.levelSince = columns.includes('level_since') ? 'coalesce(level_since, time)' : 'time';
    }
    return this.ready;
  }

  services(): ServiceOverview[] {
    if (!this.available()) return [];
    const byService = new Map<string, ServiceSeen>();
    // One index probe per service (the distinct services walked on the (service, last_time) index), not a scan of every series.
    const points = this.statement(
      `WITH RECURSIVE names(service) AS (
         SELECT min(service) FROM history_series
         UNION ALL SELECT (SELECT min(service) FROM history_series WHERE service > names.service) FROM names WHERE names.service IS NOT NULL)
       SELECT service, (SELECT max(last_time) FROM history_series s WHERE s.service = names.service) AS last_point FROM names WHERE service IS NOT NULL`,
    ).all() as Array<{ service: string; last_point: number | null }>;
    for (const row of points) seenOf(byService, row.service, row.last_point);
    for (const alert of this.statement(`SELECT service, level, state, time, ${this.levelSince} AS level_since FROM history_alerts`).all() as AlertRow[]) {
      seenOf(byService, alert.service, null).add(alert);
    }
    return [...byService.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([service, seen]) => seen.overview(service));
  }

  service(name: string): ServiceOverview | undefined {
    if (!this.available()) return undefined;
    const lastPoint = this.statement('SELECT max(last_time) FROM history_series WHERE service = ?').pluck().get(name) as number | null;
    const known = this.statement('SELECT count(*) FROM history_series WHERE service = ?').pluck().get(name) as number;
    const alerts = this.statement(`SELECT service, level, state, time, ${this.levelSince} AS level_since FROM history_alerts WHERE service = ?`).all(
      name,
    ) as AlertRow[];
    if (known === 0 && alerts.length === 0) return undefined;
    const seen = new ServiceSeen();
    if (lastPoint !== null) seen.lastPoint = lastPoint;
    for (const alert of alerts) seen.add(alert);
    return seen.overview(name);
  }

  latest(service: string): LatestValue[] {
    if (!this.available()) return [];
    const rows = this.statement(
      'SELECT metric, unit, attributes, last_value, last_time FROM history_series WHERE service = ? AND last_time IS NOT NULL ORDER BY metric, attributes',
    ).all(service) as Array<{ metric: string; unit: string; attributes: string; last_value: number | null; last_time: number }>;
    return rows.map((row) => ({
      service,
      metric: row.metric,
      unit: row.unit,
      attributes: parseAttributes(row.attributes),
      value: row.last_value ?? Number.NaN,
      time: row.last_time,
    }));
  }

  range(query: RangeQuery): RangeSeries[] {
    if (!this.available()) return [];
    const { since, until, step } = query;
    if (!(step > 0) || !(until > since)) return [];
    const wanted = Object.entries(query.attributes ?? {});
    const series = (
      this.statement('SELECT id, metric, unit, attributes, last_time FROM history_series WHERE service = ? AND metric = ? ORDER BY attributes').all(
        query.service,
        query.metric,
      ) as SeriesRow[]
    )
      .map((row) => ({ row, attributes: parseAttributes(row.attributes) }))
      .filter(({ attributes }) => wanted.every(([name, value]) => String(attributes[name]) === value && attributes[name] !== undefined));
    const resolutions = query.resolution === undefined ? resolutionsFor(step) : [query.resolution];
    // Cells of the step's own table must fall whole into steps: the grid starts on a multiple of their width.
    const origin = since - floorMod(since, widthOf(resolutions[0]!));
    if ((until - origin) / step > MAX_RANGE_STEPS) {
      throw new RangeError(`history range: ${Math.ceil((until - origin) / step)} steps asked, at most ${MAX_RANGE_STEPS}: widen the step`);
    }
    const answered: RangeSeries[] = [];
    for (const { row, attributes } of series) {
      const { points, resolution } = this.readCovered(row, resolutions, query, origin);
      if (points.length > 0) answered.push({ service: query.service, metric: row.metric, unit: row.unit, attributes, points, resolution });
    }
    return answered;
  }

  alerts(query: AlertQuery = {}): AlertRecord[] {
    if (!this.available()) return [];
    const limit = Math.min(MAX_ALERT_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_ALERT_LIMIT)));
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    // `firing` (true or false) asks about now: one record per alert, its latest event firing or not.
    const latest = query.firing !== undefined;
    if (latest) conditions.push(query.firing ? "a.state = 'firing'" : "a.state != 'firing'");
    if (query.service !== undefined) {
      conditions.push(latest ? 'a.service = ?' : 'e.service = ?');
      parameters.push(query.service);
    }
    if (query.since !== undefined) {
      conditions.push('e.time >= ?');
      parameters.push(query.since);
    }
    const from = latest ? 'history_alerts a JOIN history_events e ON e.id = a.event_id' : 'history_events e';
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    const rows = this.statement(`SELECT e.* FROM ${from}${where} ORDER BY e.time DESC, e.id DESC LIMIT ?`).all(...parameters, limit) as EventRow[];
    return rows.map(alertRecord);
  }

  /**
   * The finest table answers from its oldest data on; what lies before it (retention keeps
   * coarser tables longer) comes from the next coarser table, and so on. The tables meet at
   * a boundary of the coarser one's cells, wider than a step: each cell lands in one step,
   * and no step takes both a coarser cell and the finer data it holds.
   */
  private readCovered(series: SeriesRow, resolutions: readonly Resolution[], query: RangeQuery, origin: number): { points: Point[]; resolution: Resolution } {
    const parts: Point[][] = [];
    let finest: Resolution | undefined;
    let bound = query.until;
    for (let i = 0; i < resolutions.length && bound > origin; i++) {
      const resolution = resolutions[i]!;
      const coarser = resolutions[i + 1];
      let from = origin;
      if (coarser !== undefined) {
        const oldest = this.oldestOf(series.id, resolution);
        if (oldest === undefined) continue;
        if (oldest > origin) {
          // Handed over only when the coarser table holds cells wholly older than this one's data.
          const cut = cutAt(oldest, widthOf(coarser));
          const older = this.oldestOf(series.id, coarser);
          if (older !== undefined && older < cut - widthOf(coarser)) from = Math.min(bound, cut);
        }
      }
      if (from < bound) {
        const points = this.readSteps(series, resolution, query, origin, from, bound);
        if (points.length > 0) {
          parts.unshift(points);
          finest ??= resolution;
        }
      }
      bound = from;
    }
    return { points: parts.flat(), resolution: finest ?? resolutions[resolutions.length - 1]! };
  }

  /** The time of a series' oldest data in one table (about: a raw chunk's start), or undefined when it holds none. */
  private oldestOf(seriesId: number, resolution: Resolution): number | undefined {
    const sql =
      resolution === 'raw'
        ? 'SELECT start_time FROM history_raw WHERE series_id = ? ORDER BY end_time LIMIT 1'
        : `SELECT min(bucket) FROM history_rollup_${resolution} WHERE series_id = ?`;
    const oldest = this.statement(sql).pluck().get(seriesId) as number | null | undefined;
    return oldest ?? undefined;
  }

  /** The steps of the grid from `origin` that hold data in [from, until) of one table. */
  private readSteps(series: SeriesRow, resolution: Resolution, range: RangeQuery, origin: number, from: number, until: number): Point[] {
    const seriesId = series.id;
    const query = { ...range, since: from, until };
    const { since, step, aggregate } = query;
    const quantile = quantileOf(aggregate) !== undefined;
    // Indexed by step: at most MAX_RANGE_STEPS, most of them filled.
    const steps: Array<StepAggregate | undefined> = [];
    const stepOf = (time: number): StepAggregate => {
      const index = Math.floor((time - origin) / step);
      return (steps[index] ??= new StepAggregate());
    };
    if (resolution === 'raw') {
      const chunks = this.statement('SELECT points FROM history_raw WHERE series_id = ? AND end_time >= ? AND start_time < ?')
        .pluck()
        .all(seriesId, since, until) as Buffer[];
      for (const chunk of chunks) {
        forEachRawPoint(chunk, (time, value) => {
          if (time >= since && time < until) stepOf(time).addPoint(time, value, quantile);
        });
      }
    } else if (quantile) {
      return this.readSketchSteps(series, resolution, query, origin);
    } else {
      const cells = this.statement(`SELECT bucket, count, sum, min, max, last, last_time FROM (${cellsOf(resolution)})`)
        .raw()
        .all(cellParameters(series, resolution, query)) as Array<[number, number, number, number, number, number, number]>;
      for (const [bucket, count, sum, min, max, last, lastTime] of cells) {
        // A cell that began before the range counts in its first step.
        stepOf(Math.max(bucket, since)).addFigures(count, sum, min, max, last, lastTime);
      }
    }
    const points: Array<{ time: number; value: number }> = [];
    steps.forEach((seen, index) => {
      if (seen !== undefined) points.push({ time: origin + index * step, value: seen.value(aggregate) });
    });
    return points;
  }

  /**
   * A quantile per step from the rollups' sketches. SQLite hands over one row per series: the
   * cells' buckets as one string and their sketches as one hex string (the codec delimits
   * itself), both aggregated in the same pass so their orders agree; a row per cell would
   * cost a JavaScript array and Buffer each. The sketches of a step are merged into one
   * reused BucketList, step after step.
   */
  private readSketchSteps(series: SeriesRow, resolution: '1m' | '1h', query: RangeQuery, origin: number): Point[] {
    const { since, step } = query;
    const q = quantileOf(query.aggregate)!;
    const row = this.statement(`SELECT group_concat(bucket, ','), group_concat(hex(sketch), '') FROM (${cellsOf(resolution)})`)
      .raw()
      .get(cellParameters(series, resolution, query)) as [string | null, string | null];
    if (row[0] === null || row[1] === null) return [];
    const bytes = Buffer.from(row[1], 'hex');
    // A cell that began before the range counts in its first step.
    const steps = row[0].split(',').map((bucket) => Math.floor((Math.max(Number(bucket), since) - origin) / step));
    let ordered = true;
    for (let i = 1; i < steps.length && ordered; i++) ordered = steps[i - 1]! <= steps[i]!;
    // The primary key hands cells in bucket order; should a plan not, they are put in order here.
    const starts: number[] = [];
    if (!ordered) for (let i = 0, at = 0; i < steps.length; i++, at = skipSketch(bytes, at)) starts.push(at);
    const order = ordered ? undefined : steps.map((_, i) => i).sort((a, b) => steps[a]! - steps[b]! || a - b);
    const points: Array<{ time: number; value: number }> = [];
    const buckets = (this.buckets ??= new BucketList());
    buckets.clear();
    let current = -1;
    let at = 0;
    for (let n = 0; n < steps.length; n++) {
      const i = order === undefined ? n : order[n]!;
      if (steps[i] !== current) {
        if (current >= 0) points.push({ time: origin + current * step, value: buckets.quantile(q) });
        buckets.clear();
        current = steps[i]!;
      }
      if (order === undefined) at = buckets.addSketchAt(bytes, at);
      else buckets.addSketchAt(bytes, starts[i]!);
    }
    if (current >= 0) points.push({ time: origin + current * step, value: buckets.quantile(q) });
    buckets.clear();
    return points;
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The cells of one series in a range, as a subquery (named parameters: `cellParameters`). A
 * series' newest hour (`@current`) has a 1 h row that lags its minute rows (the writer
 * writes it about once a minute): its minute rows stand in, each at the hour's bucket, while
 * they hold more points than the hour row (they may have gone first, by retention or size).
 */
function cellsOf(resolution: '1m' | '1h'): string {
  const columns = 'count, sum, min, max, last, last_time, sketch';
  if (resolution === '1m') return `SELECT bucket, ${columns} FROM history_rollup_1m WHERE series_id = @id AND bucket >= @first AND bucket < @until`;
  const inMinutes = `(SELECT coalesce(sum(count), 0) FROM history_rollup_1m WHERE series_id = @id AND bucket >= @current AND bucket < @current + ${HOUR_MS})`;
  const inHour = `(SELECT coalesce(max(count), 0) FROM history_rollup_1h WHERE series_id = @id AND bucket = @current)`;
  return `SELECT bucket, ${columns} FROM history_rollup_1h
    WHERE series_id = @id AND bucket >= @first AND bucket < @until AND (bucket <> @current OR ${inHour} >= ${inMinutes})
    UNION ALL SELECT bucket - bucket % ${HOUR_MS}, ${columns} FROM history_rollup_1m
    WHERE series_id = @id AND bucket >= max(@first, @current) AND bucket < @until AND ${inMinutes} > ${inHour}`;
}

function cellParameters(series: SeriesRow, resolution: '1m' | '1h', query: RangeQuery): Record<string, number> {
  const width = resolution === '1m' ? MINUTE_MS : HOUR_MS;
  const parameters: Record<string, number> = { id: series.id, first: query.since - floorMod(query.since, width), until: query.until };
  if (resolution === '1h') parameters.current = series.last_time === null ? Number.MAX_SAFE_INTEGER : series.last_time - floorMod(series.last_time, HOUR_MS);
  return parameters;
}

/**
 * Tables to read for a step, finest first: the coarsest whose cells fit whole in a step (its
 * width divides the step; never a finer one), then the coarser ones whose cells are whole
 * steps (the step divides their width), which fill what the finer ones no longer keep.
 */
function resolutionsFor(step: number): Resolution[] {
  const fitting = RESOLUTIONS.filter((resolution) => widthOf(resolution) <= step && step % widthOf(resolution) === 0);
  const coarser = RESOLUTIONS.filter((resolution) => widthOf(resolution) > step && widthOf(resolution) % step === 0);
  return [fitting[fitting.length - 1] ?? 'raw', ...coarser];
}

const RESOLUTIONS: readonly Resolution[] = ['raw', '1m', '1h'];

function widthOf(resolution: Resolution): number {
  return resolution === 'raw' ? 1 : resolution === '1m' ? MINUTE_MS : HOUR_MS;
}

/**
 * Where a finer table whose oldest data is at `oldest` takes over from a coarser one of
 * `width` (wider than a step, a multiple of it): the coarser table's next cell boundary, so
 * no cell is split between the two and each lands in a step of its own.
 */
function cutAt(oldest: number, width: number): number {
  return oldest + floorMod(-oldest, width);
}


function parseAttributes(text: string): Readonly<Record<string, AttributeValue>> {
  return JSON.parse(text) as Record<string, AttributeValue>;
}

function alertRecord(row: EventRow): AlertRecord {
  return {
    fingerprint: row.fingerprint,
    service: row.service,
    rule: row.rule,
    level: row.level,
    previousLevel: row.previous_level,
    state: row.state,
    // SQLite keeps no NaN: a missing value or threshold is stored as NULL.
    value: row.value ?? Number.NaN,
    threshold: row.threshold ?? Number.NaN,
    ...(row.threshold_text === null ? {} : { thresholdText: row.threshold_text }),
    ...(row.message === null ? {} : { message: row.message }),
    startsAt: row.starts_at,
    ...(row.ends_at === null ? {} : { endsAt: row.ends_at }),
    labels: JSON.parse(row.labels) as Record<string, string>,
    time: row.time,
  };
}

interface AlertRow {
  service: string;
  level: Level;
  state: EventState;
  time: number;
  level_since: number;
}

/** What the store says of one service, gathered from its series and its alerts. */
class ServiceSeen {
  lastPoint: number | undefined;
  lastEvent: number | undefined;
  level: Level | undefined;
  levelSince: number | undefined;
  firing = 0;

  /**
   * The most severe level of its alerts is the service's; among alerts at that level, it has
   * been there since the earliest reached it, except at `info`: a service is well since its
   * latest alert came back.
   */
  add(alert: AlertRow): void {
    if (alert.state === 'firing') this.firing += 1;
    if (this.lastEvent === undefined || alert.time > this.lastEvent) this.lastEvent = alert.time;
    const severity = SEVERITY[alert.level] ?? SEVERITY.unknown;
    const current = this.level === undefined ? -1 : SEVERITY[this.level];
    const since = alert.level_since;
    const tieWins = alert.level === 'info' ? since > this.levelSince! : since < this.levelSince!;
    if (severity > current || (severity === current && tieWins)) {
      this.level = alert.level;
      this.levelSince = since;
    }
  }

  overview(service: string): ServiceOverview {
    return {
      service,
      level: this.level ?? 'unknown',
      ...(this.levelSince === undefined ? {} : { levelSince: this.levelSince }),
      ...(this.lastPoint === undefined ? {} : { lastPoint: this.lastPoint }),
      ...(this.lastEvent === undefined ? {} : { lastEvent: this.lastEvent }),
      firing: this.firing,
    };
  }
}

function seenOf(byService: Map<string, ServiceSeen>, service: string, lastPoint: number | null): ServiceSeen {
  let seen = byService.get(service);
  if (seen === undefined) byService.set(service, (seen = new ServiceSeen()));
  if (lastPoint !== null && (seen.lastPoint === undefined || lastPoint > seen.lastPoint)) seen.lastPoint = lastPoint;
  return seen;
}
