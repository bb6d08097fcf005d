import type { Signal } from '../model/signal.js';

/**
 * What tells one count of a counter from another, as attributes of its series (the
 * collector's `reason` on dropped items, and the signal of an exporter that takes both).
 * Keep `reason` to a small fixed vocabulary of snake_case words (`late`, `max_series`,
 * `queue_full`, `permanent`): each distinct value is a series of its own.
 */
export interface TelemetryDetail {
  /** Why the items were dropped, refused or failed. */
  readonly reason?: string;
  /** The signal the items belong to, for a component that carries both. */
  readonly signal?: Signal;
}

/**
 * Per-component counters in the collector's style. Receivers count `accepted` and
 * `refused` points, exporters `sent`, `failed` and `dropped`; a processor counts what it
 * drops at a bound. A polling receiver counts checks it `skipped` and checks `timedOut`
 * (the target scheduler, src/scheduling/, does both). Recorded through the OpenTelemetry metrics API and read back as points.
 * Each count may carry a `TelemetryDetail`: its fields become the series' attributes
 * (`reason`, `signal`) beside `component`, so the window's drop reasons or an exporter's
 * metrics and alerts are told apart.
 */
export interface ComponentTelemetry {
  accepted(count: number, detail?: TelemetryDetail): void;
  refused(count: number, detail?: TelemetryDetail): void;
  sent(count: number, detail?: TelemetryDetail): void;
  failed(count: number, detail?: TelemetryDetail): void;
  dropped(count: number, detail?: TelemetryDetail): void;
  /** Scheduled checks (or scrapes) that did not run: the target's previous one was still running or waiting. */
  skipped(count: number, detail?: TelemetryDetail): void;
  /** Checks (or scrapes) cut by their timeout. */
  timedOut(count: number, detail?: TelemetryDetail): void;
  /**
   * Reports the current size of a queue; called by whoever owns the queue. A component with
   * more than one queue names each (`queue`): every name is its own series of
   * `healthpipe.<kind>.queue_size`, with the attribute `queue`, so two queues never overwrite
   * each other. The exporter queue of the graph reports `metrics` and `alerts` (what waits for
   * the exporter, per signal); a delivery outbox should use its own name, such as `outbox`.
   * Without a name the series has no `queue` attribute.
   */
  queueSize(size: number, queue?: string): void;
}
