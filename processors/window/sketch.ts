import { DDSketch } from '@datadog/sketches-js';

/**
 * The quantiles of one pane or window: a DDSketch (`@datadog/sketches-js`). A quantile it
 * reports is within `relativeAccuracy` of the value of the point at that rank, whatever the
 * distribution, and sketches of the same accuracy merge exactly, so a sliding window's
 * quantiles are those of its panes' sketches merged. Made only when a quantile is asked for.
 */
export class QuantileSketch {
  private readonly sketch: DDSketch;

  constructor(relativeAccuracy: number) {
    this.sketch = new DDSketch({ relativeAccuracy });
  }

  get count(): number {
    return this.sketch.count;
  }

  add(value: number): void {
    this.sketch.accept(value);
  }

  /**
   * Adds another sketch's points. DDSketch 2.1.1's `merge` leaves out the other sketch's
   * negative values once this one holds any point (it merges only the positive store), so
   * they are merged here.
   */
  merge(other: QuantileSketch): void {
    const target = this.sketch;
    const source = other.sketch;
    if (source.count === 0) return;
    const copies = target.count === 0;
    target.merge(source);
    if (!copies && source.negativeStore.count > 0) target.negativeStore.merge(source.negativeStore);
  }

  /** The value at quantile `q` (0…1): the point of rank ⌊q × (count − 1)⌋, within the accuracy; NaN when empty. */
  quantile(q: number): number {
    return this.sketch.getValueAtQuantile(q);
  }
}
