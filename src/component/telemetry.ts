/**
 * Per-component counters in the collector's style. Receivers count `accepted` and
 * `refused` points, exporters `sent`, `failed` and `dropped`; a processor counts what it
 * drops at a bound. A polling receiver counts checks it `skipped` and checks `timedOut`
 * (the target scheduler, src/scheduling/, does both). Recorded through the OpenTelemetry metrics API and read back as points.
 */
export interface ComponentTelemetry {
  accepted(count: number): void;
  refused(count: number): void;
  sent(count: number): void;
  failed(count: number): void;
  dropped(count: number): void;
  /** Scheduled checks (or scrapes) that did not run: the target's previous one was still running or waiting. */
  skipped(count: number): void;
  /** Checks (or scrapes) cut by their timeout. */
  timedOut(count: number): void;
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
