import type { Series } from './series.js';

/**
 * One measurement. Name, unit, kind, attributes and resource live on the interned series;
 * the point itself is three numbers and a reference.
 */
export interface MetricPoint {
  readonly series: Series;
  readonly value: number;
  /** Milliseconds since the Unix epoch (UTC), from the injected scheduler. */
  readonly time: number;
  /** For cumulative sums: when counting started. */
  readonly startTime?: number;
}

/** Points always travel in batches; never one emission per point. */
export type MetricBatch = readonly MetricPoint[];
