import { staleMarker } from '../../src/index.js';
import type { MetricPoint, Series } from '../../src/index.js';

/**
 * The series something (a target, a matched process) has emitted, by key, so that when it
 * leaves each gets exactly one stale marker. Bounded by the series of what it watches: a
 * restarted process of a single-process target has the same keys as the one before.
 */
export class EmittedSeries {
  private readonly byKey = new Map<string, Series>();
  /** The series of the last `recordFrom`, in order: a process emits the same ones scrape after scrape, found here without a keyed lookup each. */
  private readonly lastRecorded: Series[] = [];

  /** Records the series of `batch[from..]`. */
  recordFrom(batch: readonly MetricPoint[], from: number): void {
    const last = this.lastRecorded;
    if (batch.length - from === last.length) {
      let same = true;
      for (let i = 0; same && i < last.length; i++) same = batch[from + i]!.series === last[i];
      if (same) return;
    }
    last.length = 0;
    for (let i = from; i < batch.length; i++) {
      const series = batch[i]!.series;
      this.add(series);
      last.push(series);
    }
  }

  add(series: Series): void {
    this.byKey.set(series.key, series);
  }

  /** One stale marker per series into `out`, and forgets them. */
  closeInto(time: number, out: MetricPoint[]): void {
    for (const series of this.byKey.values()) out.push(staleMarker(series, time));
    this.byKey.clear();
    this.lastRecorded.length = 0;
  }
}
