import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping/index.js';
import { readVarint, unzigzag, zigzag } from './varint.js';

/**
 * The relative accuracy of every stored sketch: a quantile read back is within ±1 % of the
 * value of the point at that rank (DDSketch's guarantee), as the window processor's default.
 * Fixed, because sketches merge only under one mapping: a change needs a new codec version.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** First byte of an encoded sketch: the codec and mapping it was written with. */
export const SKETCH_CODEC_VERSION = 1;

/**
 * Buckets kept per sign. Past it the two buckets nearest zero merge (DDSketch's collapsing
 * store, lowest first), so high quantiles keep their accuracy and memory stays bounded:
 * 2,048 buckets at 1 % span values over a ratio of e^40.
 */
export const MAX_SKETCH_BUCKETS = 2048;

/** The one mapping of every stored sketch (and of the range reader's BucketList). */
export const sketchMapping = new LogarithmicMapping(SKETCH_RELATIVE_ACCURACY);
const mapping = sketchMapping;

/**
 * A mergeable quantile sketch (DDSketch: `@datadog/sketches-js`'s logarithmic mapping, as
 * the window processor uses) that a rollup cell of the history keeps and stores as a BLOB.
 * Buckets are counted in maps (a cell holds a few dozen), positives and negatives apart,
 * values too close to zero for the mapping counted as zero.
 */
export class HistorySketch {
  count = 0;
  zeros = 0;
  /** Bucket key of |value| → points, for positive values. */
  readonly positive = new Map<number, number>();
  /** Bucket key of |value| → points, for negative values. */
  readonly negative = new Map<number, number>();

  add(value: number): void {
    this.addWeighted(value, 1);
  }

  /** Adds every point of another sketch: the result is the sketch of both sets of points. */
  merge(other: HistorySketch): void {
    this.count += other.count;
    this.zeros += other.zeros;
    for (const [key, n] of other.positive) addTo(this.positive, key, n);
    for (const [key, n] of other.negative) addTo(this.negative, key, n);
  }

  /**
   * The value at quantile `q` (0…1): the bucket of rank ⌊q × (count − 1)⌋, as DDSketch's
   * `getValueAtQuantile`; within `SKETCH_RELATIVE_ACCURACY` of the point at that rank. NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    let seen = 0;
    // Negatives first, the largest magnitude (the lowest value) first.
    for (const key of [...this.negative.keys()].sort((a, b) => b - a)) {
      seen += this.negative.get(key)!;
      if (seen > rank) return -mapping.value(key);
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    const keys = [...this.positive.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      seen += this.positive.get(key)!;
      if (seen > rank) return mapping.value(key);
    }
    return keys.length === 0 ? 0 : mapping.value(keys[keys.length - 1]!);
  }

  /** The sketch as bytes: version, zeros, then per sign the bucket keys (delta, zigzag) and counts, as varints. */
  encode(): Buffer {
    // At most 10 bytes per varint: version, zeros, two lengths, and two varints per bucket.
    const needed = 1 + 30 + 20 * (this.positive.size + this.negative.size);
    if (scratch.length < needed) scratch = new Uint8Array(needed * 2);
    const out = scratch;
    out[0] = SKETCH_CODEC_VERSION;
    let at = writeVarint(out, 1, this.zeros);
    for (const buckets of [this.positive, this.negative]) {
      at = writeVarint(out, at, buckets.size);
      // Keys sorted in a reused typed array (numeric order, no comparator): encoding runs per cell and write.
      if (sortedKeys.length < buckets.size) sortedKeys = new Int32Array(buckets.size * 2);
      let n = 0;
      for (const key of buckets.keys()) sortedKeys[n++] = key;
      const keys = sortedKeys.subarray(0, n).sort();
      let previous = 0;
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        at = writeVarint(out, at, zigzag(key - previous));
        at = writeVarint(out, at, buckets.get(key)!);
        previous = key;
      }
    }
    return Buffer.from(out.subarray(0, at));
  }

  /** A sketch from `encode`'s bytes. */
  static decode(bytes: Uint8Array): HistorySketch {
    const sketch = new HistorySketch();
    sketch.mergeEncoded(bytes);
    return sketch;
  }

  /**
   * Adds the points of an encoded sketch without making a sketch of it: what a range query
   * does for every rollup cell it merges into one step.
   */
  mergeEncoded(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (bytes[0] !== SKETCH_CODEC_VERSION) throw new RangeError(`history sketch: unknown codec version ${bytes[0]}`);
    const cursor = { at: 1 };
    const zeros = readVarint(bytes, cursor);
    this.zeros += zeros;
    this.count += zeros;
    for (const buckets of [this.positive, this.negative]) {
      const length = readVarint(bytes, cursor);
      let key = 0;
      for (let i = 0; i < length; i++) {
        key += unzigzag(readVarint(bytes, cursor));
        const n = readVarint(bytes, cursor);
        addTo(buckets, key, n);
        this.count += n;
      }
      if (buckets.size > MAX_SKETCH_BUCKETS) collapse(buckets);
    }
  }

  private addWeighted(value: number, weight: number): void {
    this.count += weight;
    if (value > mapping.minPossible) addBounded(this.positive, mapping.key(value), weight);
    else if (value < -mapping.minPossible) addBounded(this.negative, mapping.key(-value), weight);
    else this.zeros += weight;
  }
}

function addTo(buckets: Map<number, number>, key: number, n: number): void {
  buckets.set(key, (buckets.get(key) ?? 0) + n);
}

function addBounded(buckets: Map<number, number>, key: number, n: number): void {
  addTo(buckets, key, n);
  if (buckets.size > MAX_SKETCH_BUCKETS) collapse(buckets);
}

/**
 * Merges the buckets nearest zero into one, leaving an eighth of the room free, so a sketch
 * that keeps growing collapses once per many points rather than at each.
 */
function collapse(buckets: Map<number, number>): void {
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const excess = keys.length - Math.floor(MAX_SKETCH_BUCKETS * 0.875);
  let moved = 0;
  for (let i = 0; i < excess; i++) {
    moved += buckets.get(keys[i]!)!;
    buckets.delete(keys[i]!);
  }
  addTo(buckets, keys[excess]!, moved);
}

/** Bucket keys being sorted by `encode` (keys of a 1 % mapping fit an int32 many times over). */
let sortedKeys = new Int32Array(256);

/** Where `encode` writes before copying out: grown as needed, shared (encoding is synchronous). */
let scratch = new Uint8Array(1024);

/** Unsigned LEB128, in arithmetic rather than bit operations, so counts past 2^31 survive; returns the next offset. */
function writeVarint(out: Uint8Array, offset: number, value: number): number {
  let at = offset;
  let rest = value;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}

