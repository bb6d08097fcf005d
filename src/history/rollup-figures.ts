/**
 * What a rollup cell counts, and what a range step sums from cells or points: count, sum,
 * min, max and the value of the newest point. Merging two is adding one's figures to the other.
 */
export class RollupFigures {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  last = Number.NaN;
  lastTime = Number.NEGATIVE_INFINITY;

  /** One point. */
  addValue(time: number, value: number): void {
    this.addFigures(1, value, value, value, value, time);
  }

  /** Another cell's figures. */
  addFigures(count: number, sum: number, min: number, max: number, last: number, lastTime: number): void {
    this.count += count;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    // The later point wins; at one time, the one added later (a later write).
    if (lastTime >= this.lastTime) {
      this.last = last;
      this.lastTime = lastTime;
    }
  }
}
