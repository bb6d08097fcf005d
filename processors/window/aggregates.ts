import type { WindowAccumulator } from './accumulator.js';

/** The figures a window can report; each is derived from the accumulator's few numbers. */
export const AGGREGATES = ['mean', 'min', 'max', 'last', 'count', 'sum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export function aggregateValue(aggregate: Aggregate, window: WindowAccumulator): number {
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
  }
}
