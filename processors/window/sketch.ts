import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping/index.js';

/** Codes are SMIs in [0, 4B): negatives below 2B, zero at 2B, positives above (B > any key at the accuracies allowed). */
const B = 2 ** 22;
const ZERO = 2 * B;
/** Past this many points a sketch counts per bucket instead of keeping each point's bucket. */
const SPARSE_LIMIT = 64;
/** Bucket values remembered per mapping (a power of two): 12 KiB per window processor. */
const VALUE_CACHE_SIZE = 1024;

/**
 * DDSketch's key mapping (`@datadog/sketches-js`'s LogarithmicMapping): a value's bucket,
 * and the bucket's value, within `relativeAccuracy` of every value in it. One per window.
 */
export class SketchMapping {
  private readonly mapping: LogarithmicMapping;

  constructor(readonly relativeAccuracy: number) {
    this.mapping = new LogarithmicMapping(relativeAccuracy);
  }

  /** The bucket of a value as one ordered integer, negatives, zero and positives in order. */
  code(value: number): number {
    const mapping = this.mapping;
    if (value > mapping.minPossible) return 3 * B + mapping.key(value);
    if (value < -mapping.minPossible) return B - mapping.key(-value);
    return ZERO;
  }

  // Bucket values already worked out, by code modulo the cache's size: each costs a Math.pow,
  // a window's quantiles often fall in one bucket (p90, p95 and p99 of a few points are the
  // same point), and a metric's values keep to a few hundred buckets, whatever the series.
  private readonly cachedCodes = new Int32Array(VALUE_CACHE_SIZE).fill(-1);
  private readonly cachedValues = new Float64Array(VALUE_CACHE_SIZE);

  value(code: number): number {
    const slot = code & (VALUE_CACHE_SIZE - 1);
    if (this.cachedCodes[slot] === code) return this.cachedValues[slot]!;
    const value = code > ZERO ? this.mapping.value(code - 3 * B) : code < ZERO ? -this.mapping.value(B - code) : 0;
    this.cachedCodes[slot] = code;
    this.cachedValues[slot] = value;
    return value;
  }
}

/** Points per bucket over a range of consecutive codes, from the lowest seen to the highest. */
class Buckets {
  bins: number[];
  offset: number;

  constructor(code: number) {
    this.bins = [0];
    this.offset = code;
  }

  add(code: number, weight: number): void {
    const index = code - this.offset;
    if (index >= 0 && index < this.bins.length) this.bins[index]! += weight;
    else this.grow(code)[code - this.offset]! += weight;
  }

  /** Widens the range to take `code`, with room for half as much again on that side. */
  private grow(code: number): number[] {
    const bins = this.bins;
    const low = Math.min(code, this.offset);
    const high = Math.max(code, this.offset + bins.length - 1);
    const room = Math.ceil((high - low + 1) / 2);
    const newLow = code < this.offset ? low - room : low;
    const newHigh = code < this.offset ? high : high + room;
    const grown = new Array<number>(newHigh - newLow + 1).fill(0);
    for (let i = 0; i < bins.length; i++) grown[this.offset - newLow + i] = bins[i]!;
    this.bins = grown;
    this.offset = newLow;
    return grown;
  }
}

/**
 * The quantiles of one pane or window: a DDSketch. Each value goes to a bucket of DDSketch's
 * logarithmic mapping, so a quantile is reported within `relativeAccuracy` of the value of
 * the point at that rank, whatever the distribution; sketches of one mapping merge exactly,
 * so a sliding window's quantiles are those of its panes merged.
 *
 * The store is ours, not the package's DenseStore: that one allocates 128 buckets (and
 * shifts them) for a window's first points, which made a window of a few points per series
 * cost 8 µs a point. Here a sketch keeps its few points' buckets in a list, and past
 * `SPARSE_LIMIT` points counts per bucket, negatives and positives apart as DDSketch does.
 * Quantiles are what DDSketch's `getValueAtQuantile` reports: the bucket of rank
 * ⌊q × (count − 1)⌋.
 */
export class QuantileSketch {
  count = 0;
  /**
   * The bucket of each point while there are few, kept in order (insertion: cheaper than
   * sorting at every close for a few dozen); `listed` of them are in use, so clearing
   * keeps the array's room for the pane's next use.
   */
  private codes: number[] = [];
  private listed = 0;
  private dense = false;
  private negative: Buckets | undefined = undefined;
  private positive: Buckets | undefined = undefined;
  private zeros = 0;

  constructor(private readonly mapping: SketchMapping) {}

  add(value: number): void {
    this.addCode(this.mapping.code(value), 1);
  }

  /** Adds another sketch's points (of the same mapping). */
  merge(other: QuantileSketch): void {
    if (!other.dense) {
      const codes = other.codes;
      for (let i = 0; i < other.listed; i++) this.addCode(codes[i]!, 1);
      return;
    }
    if (other.zeros > 0) this.addCode(ZERO, other.zeros);
    for (const buckets of [other.negative, other.positive]) {
      if (buckets === undefined) continue;
      const bins = buckets.bins;
      for (let i = 0; i < bins.length; i++) if (bins[i]! > 0) this.addCode(buckets.offset + i, bins[i]!);
    }
  }

  /** The value at quantile `q` (0…1), within the accuracy; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.floor(q * (this.count - 1));
    if (!this.dense) return this.mapping.value(this.codes[rank]!);
    // Codes ascend with the values: negatives, then zeros, then positives.
    let seen = 0;
    const negative = this.negative;
    if (negative !== undefined) {
      const bins = negative.bins;
      for (let i = 0; i < bins.length; i++) {
        seen += bins[i]!;
        if (seen > rank) return this.mapping.value(negative.offset + i);
      }
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    const positive = this.positive!;
    const bins = positive.bins;
    for (let i = 0; i < bins.length; i++) {
      seen += bins[i]!;
      if (seen > rank) return this.mapping.value(positive.offset + i);
    }
    return this.mapping.value(positive.offset + bins.length - 1);
  }

  /** Empties the sketch for reuse; the list's room is kept. */
  clear(): void {
    this.count = 0;
    this.listed = 0;
    this.dense = false;
    this.negative = undefined;
    this.positive = undefined;
    this.zeros = 0;
  }

  private addCode(code: number, weight: number): void {
    this.count += weight;
    if (!this.dense) {
      if (this.listed + weight <= SPARSE_LIMIT) {
        for (let w = 0; w < weight; w++) this.insert(code);
        return;
      }
      this.toBuckets();
    }
    this.addToBuckets(code, weight);
  }

  private addToBuckets(code: number, weight: number): void {
    if (code > ZERO) (this.positive ??= new Buckets(code)).add(code, weight);
    else if (code < ZERO) (this.negative ??= new Buckets(code)).add(code, weight);
    else this.zeros += weight;
  }

  private insert(code: number): void {
    const codes = this.codes;
    let at = this.listed++;
    while (at > 0 && codes[at - 1]! > code) {
      codes[at] = codes[at - 1]!;
      at--;
    }
    codes[at] = code;
  }

  private toBuckets(): void {
    const codes = this.codes;
    this.dense = true;
    for (let i = 0; i < this.listed; i++) this.addToBuckets(codes[i]!, 1);
    this.listed = 0;
  }
}
