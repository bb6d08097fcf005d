import type { OperatorFunction, Subscriber } from 'rxjs';
import { statefulOperator, type MetricBatch, type MetricPoint, type OperatorState } from '../../src/index.js';
import type { AttributesRewrite } from './actions.js';
import { SeriesRewriter } from './series-rewriter.js';

export interface RewriteAttributesOptions {
  readonly point?: AttributesRewrite | undefined;
  readonly resource?: AttributesRewrite | undefined;
  /** Most rewritten series interned at once (default MAX_INTERNED_SERIES). */
  readonly maxInterned?: number;
  /** Handed each subscription's rewriter when it starts, for tests. */
  readonly probe?: (rewriter: SeriesRewriter) => void;
}

class RewriteState implements OperatorState<MetricBatch> {
  constructor(
    private readonly rewriter: SeriesRewriter,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {}

  add(batch: MetricBatch): void {
    let out: MetricPoint[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const point = batch[i]!;
      const series = this.rewriter.rewrite(point.series);
      if (point.stale === true) this.rewriter.forget(point.series, series);
      if (series === point.series) {
        out?.push(point);
        continue;
      }
      // Copy only once a point changes: a batch of untouched series leaves as it came.
      out ??= batch.slice(0, i);
      out.push({ ...point, series });
    }
    this.subscriber.next(out ?? batch);
  }

  dispose(): void {}
}

/**
 * Gives every point the series its actions make: the same object when they change nothing.
 * A staleness marker gets the same rewrite, so downstream state of the new series is freed.
 */
export function rewriteAttributes(options: RewriteAttributesOptions): OperatorFunction<MetricBatch, MetricBatch> {
  return statefulOperator<MetricBatch, MetricBatch, RewriteState>((subscriber) => {
    const rewriter = new SeriesRewriter(options.point, options.resource, options.maxInterned);
    options.probe?.(rewriter);
    return new RewriteState(rewriter, subscriber);
  });
}
