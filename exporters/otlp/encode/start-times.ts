import type { Series } from '../../../src/index.js';

/**
 * The start of a cumulative sum whose point carries none (`point.startTime` unset): the
 * time this encoder first saw the series, as a collector's Prometheus receiver does for a
 * counter without a creation time. Kept per Series object in a WeakMap, so the memory is
 * bounded by the live series and released with them; a new Series object (its source
 * restarted) starts afresh, which is what a cumulative start time means.
 */
export class FirstSeen {
  private readonly starts = new WeakMap<Series, number>();

  of(series: Series, time: number): number {
    const start = this.starts.get(series);
    if (start !== undefined && start <= time) return start;
    // First sight, or a point older than the first one seen (out of order): a start may not
    // follow its point, so move it back.
    this.starts.set(series, time);
    return time;
  }
}
