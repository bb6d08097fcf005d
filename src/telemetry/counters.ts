import type { ComponentTelemetry, TelemetryDetail } from '../component/telemetry.js';

export type CounterName = 'accepted' | 'refused' | 'sent' | 'failed' | 'dropped' | 'skipped' | 'timedOut';

/** `reason=late,signal=metrics`: the key of a detail, '' for none; one order, so one key per detail. */
export function detailKey(detail: TelemetryDetail | undefined): string {
  if (detail === undefined) return '';
  const parts: string[] = [];
  if (detail.reason !== undefined) parts.push(`reason=${detail.reason}`);
  if (detail.signal !== undefined) parts.push(`signal=${detail.signal}`);
  return parts.join(',');
}

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
  /** Totals per counter and detail, keyed `dropped{reason=late}`; `counts` has the sums. */
  private readonly byDetail = new Map<string, number>();
  /** The last size reported per queue name ('' for an unnamed queue). */
  readonly queueSizes = new Map<string, number>();

  accepted(count: number, detail?: TelemetryDetail): void {
    this.count('accepted', count, detail);
  }
  refused(count: number, detail?: TelemetryDetail): void {
    this.count('refused', count, detail);
  }
  sent(count: number, detail?: TelemetryDetail): void {
    this.count('sent', count, detail);
  }
  failed(count: number, detail?: TelemetryDetail): void {
    this.count('failed', count, detail);
  }
  dropped(count: number, detail?: TelemetryDetail): void {
    this.count('dropped', count, detail);
  }
  skipped(count: number, detail?: TelemetryDetail): void {
    this.count('skipped', count, detail);
  }
  timedOut(count: number, detail?: TelemetryDetail): void {
    this.count('timedOut', count, detail);
  }
  /** A counter's total for one detail (`{ reason: 'late' }`); without one, the counts that had none. */
  countOf(name: CounterName, detail?: TelemetryDetail): number {
    return this.byDetail.get(`${name}{${detailKey(detail)}}`) ?? 0;
  }

  queueSize(size: number, queue = ''): void {
    this.queueSizes.set(queue, size);
  }

  private count(name: CounterName, count: number, detail: TelemetryDetail | undefined): void {
    this.counts[name] += count;
    const key = `${name}{${detailKey(detail)}}`;
    this.byDetail.set(key, (this.byDetail.get(key) ?? 0) + count);
  }
}
