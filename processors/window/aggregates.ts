import type { Pane } from './accumulator.js';

/** The figures a window can report; each is derived from its panes' few numbers (and sketches). */
export const AGGREGATES = ['mean', 'min', 'max', 'last', 'count', 'sum', 'rate', 'p50', 'p90', 'p95', 'p99'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The quantile aggregates and the quantile each reports. */
export const QUANTILES: Partial<Record<Aggregate, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

export function isQuantile(aggregate: Aggregate): boolean {
  return QUANTILES[aggregate] !== undefined;
}

/**
 * One figure of a window whose figures are in `window` (its pane, or its panes merged);
 * `rate` is worked out by the caller, who knows the reading before the window.
 */
export function aggregateValue(aggregate: Aggregate, window: Pane, rate: number): number {
  switch (aggregate) {
    case 'mean':
      return window.sum / window.count;
    case 'min':
      return window.min;
    case 'max':
      return window.max;
    case 'last':
      return window.last;
    case 'count':
      return window.count;
    case 'sum':
      return window.sum;
    case 'rate':
      return rate;
    default:
      return window.sketch?.quantile(QUANTILES[aggregate]!) ?? Number.NaN;
  }
}
