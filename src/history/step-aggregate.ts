import type { HistoryAggregate } from './reader.js';
import { RollupFigures } from './rollup-figures.js';
import { HistorySketch } from './sketch.js';

const QUANTILES: Readonly<Record<string, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** The quantile an aggregate names (`p95` → 0.95), or undefined for the others. */
export function quantileOf(aggregate: HistoryAggregate): number | undefined {
  return QUANTILES[aggregate];
}

/** What one step of a range has seen: rollup cells merged, or raw points one by one. */
export class StepAggregate extends RollupFigures {
  /** Raw points' values, for exact quantiles. */
  values: number[] | undefined;
  /** Rollups' merged sketches, for quantiles within the sketch's accuracy. */
  sketch: HistorySketch | undefined;

  addPoint(time: number, value: number, keepValue: boolean): void {
    this.addValue(time, value);
    if (keepValue) (this.values ??= []).push(value);
  }

  mergeSketch(bytes: Uint8Array): void {
    (this.sketch ??= new HistorySketch()).mergeEncoded(bytes);
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
        if (this.sketch !== undefined) return this.sketch.quantile(q);
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
