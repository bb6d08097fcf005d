import type { ComponentTelemetry } from '../component/telemetry.js';

export type CounterName = 'accepted' | 'refused' | 'sent' | 'failed' | 'dropped' | 'skipped' | 'timedOut';

/** Telemetry kept in plain numbers: for tests and for components created outside a runtime. */
export class CountingTelemetry implements ComponentTelemetry {
  readonly counts: Record<CounterName, number> = {
    accepted: 0,
    refused: 0,
    sent: 0,
    failed: 0,
    dropped: 0,
    skipped: 0,
    timedOut: 0,
  };
  /** The last size reported per queue name ('' for an unnamed queue). */
  readonly queueSizes = new Map<string, number>();

  accepted(count: number): void {
    this.counts.accepted += count;
  }
  refused(count: number): void {
    this.counts.refused += count;
  }
  sent(count: number): void {
    this.counts.sent += count;
  }
  failed(count: number): void {
    this.counts.failed += count;
  }
  dropped(count: number): void {
    this.counts.dropped += count;
  }
  skipped(count: number): void {
    this.counts.skipped += count;
  }
  timedOut(count: number): void {
    this.counts.timedOut += count;
  }
  queueSize(size: number, queue = ''): void {
    this.queueSizes.set(queue, size);
  }
}
