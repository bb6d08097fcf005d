import { staleMarker } from '../../src/index.js';
import type { MetricPoint, Series } from '../../src/index.js';

/**
 * The series something (a target, a matched process) has emitted, by key, so that when it
 * leaves each gets exactly one stale marker. Bounded by the series of what it watches: a
 * restarted process of a single-process target has the same keys as the one before.
 */
export class EmittedSeries {
  private readonly byKey = new Map<string, Series>();

  /** Records the series of `batch[from..]`. */
  recordFrom(batch: readonly MetricPoint[], from: number): void {
    for (let i = from; i < batch.length; i++) this.add(batch[i]!.series);
  }

  add(series: Series): void {
    this.byKey.set(series.key, series);
  }

  /** One stale marker per series into `out`, and forgets them. */
  closeInto(time: number, out: MetricPoint[]): void {
    for (const series of this.byKey.values()) out.push(staleMarker(series, time));
    this.byKey.clear();
  }
}
