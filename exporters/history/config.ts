import { boundedInt, duration, size, z } from '../../src/index.js';

const KEEP_MAX = '3650d';
const KEEP_MAX_REASON = 'ten years is the longest history kept';

/** Defaults of the retention by resolution. */
export const DEFAULT_RETENTION = { raw: '24h', '1m': '7d', '1h': '90d', events: '90d' } as const;

const keep = (what: string, fallback: string, min: string) =>
  duration({ min, max: KEEP_MAX, maxReason: KEEP_MAX_REASON })
    .prefault(fallback)
    .describe(`How long ${what} are kept.`);

export const retentionSchema = z
  .strictObject({
    raw: keep('raw points', DEFAULT_RETENTION.raw, '1m'),
    '1m': keep('1 min rollups', DEFAULT_RETENTION['1m'], '1h'),
    '1h': keep('1 h rollups', DEFAULT_RETENTION['1h'], '1d'),
    events: keep('health events (alert history)', DEFAULT_RETENTION.events, '1h'),
  })
  .describe('Retention by resolution.');

export const historyConfigSchema = z
  .strictObject({
    retention: z
      .union([duration({ min: '1m', max: KEEP_MAX, maxReason: KEEP_MAX_REASON }), retentionSchema])
      .prefault({})
      .describe(
        'How long history is kept, by age: one duration (`24h`) is the raw points\' retention, and the rollups and events keep ' +
          `their defaults (1 min: ${DEFAULT_RETENTION['1m']}, 1 h: ${DEFAULT_RETENTION['1h']}, events: ${DEFAULT_RETENTION.events}) ` +
          'or that duration when it is longer; or per resolution: `{ raw: 24h, 1m: 7d, 1h: 90d, events: 90d }`. ' +
          'Older data is removed in small steps.',
      ),
    max_size: size({ min: 1024 * 1024 })
      .prefault('1GiB')
      .describe(
        'Bound on the size of the history\'s own tables (their pages in use: the event log, outbox and other components\' tables in ' +
          'the same store are not counted; the file keeps its size and reuses freed pages). Past it the oldest raw ' +
          'points go first, then the oldest 1 min rollups, then the oldest 1 h rollups; events are only removed by age.',
      ),
    linger: duration({ min: '10ms', max: '1s', maxReason: 'points are visible to queries within 2 s of arriving' })
      .prefault('1s')
      .describe('How long points and events wait in memory before they are written together in one transaction.'),
    batch_size: boundedInt({ min: 1, max: 1_000_000, maxReason: 'a write holds the store for the whole batch' })
      .default(100_000)
      .describe('Points (and events) waiting that trigger a write at once, before the linger ends.'),
    cleanup_interval: duration({ min: '100ms', max: '1h', maxReason: 'data past its age should not wait longer' })
      .prefault('1s')
      .describe('How often one cleanup step runs (age and size); a step that found more to do runs the next one sooner.'),
    cleanup_batch: boundedInt({ min: 100, max: 100_000, maxReason: 'one step must not hold the store for long' })
      .default(5_000)
      .describe('Rows one cleanup step deletes at most per table: small steps keep the pipeline moving.'),
    max_series: boundedInt({ min: 100, max: 10_000_000, maxReason: 'each held series costs memory' })
      .default(100_000)
      .describe(
        'Series whose open rollups (the current minute and hour, with their sketches) are held in memory; past it the least ' +
          'recently written are forgotten and read back from the store when they write again.',
      ),
  })
  .describe('Keeps metric points (raw, 1 min and 1 h rollups) and health events in the store, for `status`, `history` and the HTTP API.');

export type HistoryConfig = z.output<typeof historyConfigSchema>;

export interface Retention {
  readonly raw: number;
  readonly '1m': number;
  readonly '1h': number;
  readonly events: number;
}

/**
 * The retention per resolution. A single duration (DESIGN's `retention: 24h`) is the raw
 * points'; rollups and events keep their defaults, or that duration when it is longer, so
 * no coarser resolution is ever kept for less time than the raw points.
 */
export function retentionOf(config: HistoryConfig): Retention {
  const written = config.retention;
  if (typeof written === 'number') {
    const defaults = historyConfigSchema.shape.retention.parse({}) as Retention;
    return {
      raw: written,
      '1m': Math.max(defaults['1m'], written),
      '1h': Math.max(defaults['1h'], written),
      events: Math.max(defaults.events, written),
    };
  }
  return written;
}
