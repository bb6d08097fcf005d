/**
 * Per-component counters in the collector's style. Receivers count `accepted` and
 * `refused` points, exporters `sent`, `failed` and `dropped`; a processor counts what it
 * drops at a bound. Recorded through the OpenTelemetry metrics API and read back as points.
 */
export interface ComponentTelemetry {
  accepted(count: number): void;
  refused(count: number): void;
  sent(count: number): void;
  failed(count: number): void;
  dropped(count: number): void;
  /** Reports the current size of a queue; called by whoever owns the queue. */
  queueSize(size: number): void;
}
