import type { OperatorFunction, Subscriber } from 'rxjs';
import { statefulOperator, type MetricBatch, type MetricPoint, type OperatorState, type Series } from '../../src/index.js';
import type { SeriesMatcher } from './matcher.js';

export interface SeriesFilterOptions {
  /** Keep only the series this matches; absent: keep every series not excluded. */
  readonly include?: SeriesMatcher;
  /** Drop the series this matches. */
  readonly exclude?: SeriesMatcher;
  /** Called at most once per batch with the number of points dropped (markers not counted). */
  readonly onDrop?: (count: number) => void;
}

class FilterState implements OperatorState<MetricBatch> {
  /**
   * The verdict per series object, so each point costs one lookup after its series' first
   * sight. Weak: an entry lives as long as the receiver keeps the series, which bounds it.
   */
  private readonly kept = new WeakMap<Series, boolean>();

  constructor(
    private readonly options: SeriesFilterOptions,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {}

  add(batch: MetricBatch): void {
    let out: MetricPoint[] | undefined;
    let dropped = 0;
    for (let i = 0; i < batch.length; i++) {
      const point = batch[i]!;
      if (this.keeps(point.series)) {
        out?.push(point);
        continue;
      }
      // Copy only once something is dropped: a batch that loses nothing leaves as it came.
      out ??= batch.slice(0, i);
      // A dropped series' staleness marker is dropped too: nothing downstream holds the series.
      if (point.stale !== true) dropped++;
    }
    if (dropped > 0) this.options.onDrop?.(dropped);
    const result = out ?? batch;
    if (result.length > 0) this.subscriber.next(result);
  }

  private keeps(series: Series): boolean {
    let verdict = this.kept.get(series);
    if (verdict === undefined) {
      const { include, exclude } = this.options;
      verdict = (include === undefined || include(series)) && !(exclude !== undefined && exclude(series));
      this.kept.set(series, verdict);
    }
    return verdict;
  }

  dispose(): void {}
}

/** Passes the points of the series that are included and not excluded, in order; drops the others. */
export function seriesFilter(options: SeriesFilterOptions): OperatorFunction<MetricBatch, MetricBatch> {
  return statefulOperator<MetricBatch, MetricBatch, FilterState>((subscriber) => new FilterState(options, subscriber));
}
