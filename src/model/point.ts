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
  /**
   * Set only on a window's figures when the window was flushed before its end (the pipeline
   * stopped, the series was removed): they describe part of the window, so `threshold`
   * neither raises nor resolves on them. A flag on the point, not an attribute, so it leaves
   * the series' identity alone (a partial mean is the same series as a whole one) and
   * exporters that know nothing of it (OTLP, history) write the value as an ordinary point.
   * Processors that copy points (`{ ...point }`) carry it on; absent means a whole window
   * or a raw measurement. Stamped with the window's end like a whole figure: an exporter to
   * a store that refuses a second sample at one time (the restarted agent's figure of the
   * same window) may skip partial figures.
   */
  readonly partial?: true;
  /**
   * A note for people from the measurement itself: a Nagios plugin's first output line, an
   * HTTP check's error summary ("HTTP 503 from /health", "connection refused"). Made with
   * `eventText` (bounded, secrets out) by whoever sets it; never an attribute, so it does not
   * touch the series' identity or cardinality. The `window` processor carries the last
   * message of a window onto its figures, and `threshold` puts it in the health event it
   * raises from them. Exporters of metrics ignore it.
   */
  readonly message?: string;
  /**
   * A staleness marker (Prometheus' idea): the series' source left on purpose (a registry
   * instance was removed, a process matched by a selector ended, a target left the config).
   * `value` is NaN and means nothing. Processors flush what they hold for the series (a
   * window's open figures, as partial), forget its state without raising `unknown` (a
   * service that left is not a service that went silent), resolve what was firing, and pass
   * the marker on for the series they derive from it; exporters of metrics skip it (or write
   * their format's own staleness marker). Made with `staleMarker`.
   */
  readonly stale?: true;
}

/** The last point of a series whose source left: see `MetricPoint.stale`. */
export function staleMarker(series: Series, time: number): MetricPoint {
  return { series, value: Number.NaN, time, stale: true };
}

/** Points always travel in batches; never one emission per point. */
export type MetricBatch = readonly MetricPoint[];
