import type { TableMigration } from '../component/storage.js';

/** The owner of the history's tables in the store (`component_schema`), and their prefix. */
export const HISTORY_OWNER = 'history';

/** The resolutions of the rollups, in ms, by table. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/**
 * The history's tables. Written by the `history` exporter only (`single`), read by
 * `createHistoryReader`, which never migrates.
 *
 * - `history_series`: one row per series (service, metric, unit, point attributes as
 *   canonical JSON), with its newest value, so `latest` and `services` read a small table.
 * - `history_raw`: raw points in chunks, one row per series and write (times and values as
 *   float64 pairs). A row per point would cost a random index insert per point (≈ 50,000
 *   a second here); a chunk costs one per series and write. Rowids grow with writes, so
 *   age and size cleanup take the oldest rows from the front.
 * - `history_rollup_1m`, `history_rollup_1h`: count, sum, min, max, last (and its time) and
 *   a DDSketch (src/history/sketch.ts) per series and minute / hour, clustered by series
 *   (a range query reads consecutive rows); the bucket index serves age cleanup.
 * - `history_events`: every health event; `history_alerts`: the latest event of each
 *   fingerprint (what fires now, a service's level), kept on write.
 */
/** A rollup table: one row per series and bucket (the minute or hour's start, ms). */
function rollupTable(resolution: '1m' | '1h'): string {
  const table = `history_rollup_${resolution}`;
  return `
      CREATE TABLE ${table} (
        series_id INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        last REAL NOT NULL,
        last_time INTEGER NOT NULL,
        sketch BLOB NOT NULL,
        PRIMARY KEY (series_id, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX ${table}_bucket ON ${table} (bucket);`;
}

export const HISTORY_MIGRATIONS: readonly TableMigration[] = [
  {
    version: 1,
    description: 'history: series, raw chunks, 1 min and 1 h rollups, health events',
    sql: `
      CREATE TABLE history_series (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        metric TEXT NOT NULL,
        unit TEXT NOT NULL,
        attributes TEXT NOT NULL,
        last_time INTEGER,
        last_value REAL,
        UNIQUE (service, metric, unit, attributes)
      );
      CREATE INDEX history_series_last ON history_series (last_time);

      CREATE TABLE history_raw (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        count INTEGER NOT NULL,
        points BLOB NOT NULL
      );
      CREATE INDEX history_raw_series ON history_raw (series_id, end_time);

      ${rollupTable('1m')}
      ${rollupTable('1h')}

      CREATE TABLE history_events (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        service TEXT NOT NULL,
        rule TEXT NOT NULL,
        level TEXT NOT NULL,
        previous_level TEXT NOT NULL,
        state TEXT NOT NULL,
        value REAL,
        threshold REAL,
        threshold_text TEXT,
        message TEXT,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER,
        window INTEGER,
        labels TEXT NOT NULL,
        annotations TEXT
      );
      CREATE INDEX history_events_time ON history_events (time);
      CREATE INDEX history_events_service ON history_events (service, time);
      CREATE INDEX history_events_fingerprint ON history_events (fingerprint, time);

      CREATE TABLE history_alerts (
        fingerprint TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        level TEXT NOT NULL,
        state TEXT NOT NULL,
        time INTEGER NOT NULL,
        event_id INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX history_alerts_service ON history_alerts (service, state);
    `,
  },
  {
    version: 2,
    description: 'history: when each alert reached its level; services and raw age by index',
    // `time` is every event's, repeats included; `level_since` changes only with the level.
    // (service, last_time) answers a service's newest point without reading its series;
    // end_time lets age cleanup find old raw chunks whatever order they were written in.
    sql: `
      ALTER TABLE history_alerts ADD COLUMN level_since INTEGER;
      UPDATE history_alerts SET level_since = time;
      CREATE INDEX history_series_service_last ON history_series (service, last_time);
      CREATE INDEX history_raw_end ON history_raw (end_time);
    `,
  },
];
