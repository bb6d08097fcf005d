import type { HistoryAggregate } from './reader.js';
import { RollupFigures } from './rollup-figures.js';

const QUANTILES: Readonly<Record<string, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** The quantile an aggregate names (`p95` → 0.95), or undefined for the others. */
export function quantileOf(aggregate: HistoryAggregate): number | undefined {
  return QUANTILES[aggregate];
}

/** What one step of a range has seen: rollup cells' figures merged, or raw points one by one (quantiles of rollups: BucketList). */
export class StepAggregate extends RollupFigures {
  /** Raw points' values, for exact quantiles. */
  values: number[] | undefined;

  addPoint(time: number, value: number, keepValue: boolean): void {
    this.addValue(time, value);
    if (keepValue) (this.values ??= []).push(value);
  }

  value(aggregate: HistoryAggregate): number {
    switch (aggregate) {
      case 'avg':
        return this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'sum':
        return this.sum;
      case 'count':
        return this.count;
      case 'last':
        return this.last;
      default: {
        const q = quantileOf(aggregate)!;
        return exactQuantile(this.values ?? [], q);
      }
    }
  }
}

/**
 * The value at rank ⌊q × (n − 1)⌋ of the sorted values: the rank a sketch reports, so raw
 * and rolled-up answers differ by the sketch's accuracy only.
 */
export function exactQuantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}
