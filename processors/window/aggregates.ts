import { COUNT, LAST, MAX, MIN, SUM } from './accumulator.js';
import type { QuantileSketch } from './sketch.js';

/** The figures a window can report; each is derived from its panes' few numbers (and sketches). */
export const AGGREGATES = ['mean', 'min', 'max', 'last', 'count', 'sum', 'rate', 'p50', 'p90', 'p95', 'p99'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The quantile aggregates and the quantile each reports. */
export const QUANTILES: Partial<Record<Aggregate, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

export function isQuantile(aggregate: Aggregate): boolean {
  return QUANTILES[aggregate] !== undefined;
}

/**
 * One figure of a window whose running figures are in `figures` from `at` (its pane, or its
 * panes merged), with its sketch when quantiles are asked for; `rate` is worked out by the
 * caller, who knows the reading before the window.
 */
export function aggregateValue(aggregate: Aggregate, figures: readonly number[], at: number, sketch: QuantileSketch | undefined, rate: number): number {
  switch (aggregate) {
    case 'mean':
      return figures[at + SUM]! / figures[at + COUNT]!;
    case 'min':
      return figures[at + MIN]!;
    case 'max':
      return figures[at + MAX]!;
    case 'last':
      return figures[at + LAST]!;
    case 'count':
      return figures[at + COUNT]!;
    case 'sum':
      return figures[at + SUM]!;
    case 'rate':
      return rate;
    // Each quantile its own case: a lookup of QUANTILES by a name that varies is slower than all of this switch.
    case 'p50':
      return sketch?.quantile(0.5) ?? Number.NaN;
    case 'p90':
      return sketch?.quantile(0.9) ?? Number.NaN;
    case 'p95':
      return sketch?.quantile(0.95) ?? Number.NaN;
    case 'p99':
      return sketch?.quantile(0.99) ?? Number.NaN;
  }
}
