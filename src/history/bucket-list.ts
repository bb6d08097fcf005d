import { SKETCH_CODEC_VERSION, sketchMapping as mapping } from './sketch.js';
import { readVarint, unzigzag, type VarintCursor } from './varint.js';

/** Past any bucket key of the mapping (|key| < 36,000 at 1 % for every finite double). */
const KEY_LIMIT = 40_000;
/** Slots: negatives (largest magnitude first), zero, positives, so slots order as the values. */
const ZERO_SLOT = 2 * KEY_LIMIT + 1;
const SLOTS = 2 * ZERO_SLOT + 1;

/**
 * The buckets of many encoded sketches gathered for one quantile of them all: what a range
 * step does with the sketches of its rollup cells. Counts sit in one dense array indexed by
 * bucket (allocated once, cleared after use), so merging a cell costs no allocation and no
 * map; only the slots touched are sorted for a quantile. One list serves step after step:
 * `clear()` between them.
 */
export class BucketList {
  private readonly counts = new Float64Array(SLOTS);
  private readonly touched = new Int32Array(SLOTS);
  private used = 0;
  total = 0;

  /**
   * Adds the buckets of encoded sketches (HistorySketch.encode, codec 1) in `bytes[start, end)`:
   * one, or several written one after another (the codec delimits itself).
   */
  addEncoded(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let at = start;
    while (at < end) at = this.addSketchAt(bytes, at);
  }

  /** Adds the one sketch that starts at `start`; returns where the next begins. */
  addSketchAt(bytes: Uint8Array, start: number): number {
    checkCodec(bytes, start);
    cursor.at = start + 1;
    const zeros = readVarint(bytes, cursor);
    if (zeros > 0) this.add(ZERO_SLOT, zeros);
    for (let sign = 1; sign >= -1; sign -= 2) {
      const length = readVarint(bytes, cursor);
      let key = 0;
      for (let i = 0; i < length; i++) {
        key += unzigzag(readVarint(bytes, cursor));
        if (key <= -KEY_LIMIT || key >= KEY_LIMIT) throw new RangeError(`history sketch: bucket key ${key} out of range`);
        this.add(sign > 0 ? ZERO_SLOT + KEY_LIMIT + 1 + key : KEY_LIMIT - key, readVarint(bytes, cursor));
      }
    }
    return cursor.at;
  }

  /** The value at quantile `q`, by the rank rule of HistorySketch.quantile; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    const slots = this.touched.subarray(0, this.used).sort();
    let seen = 0;
    for (const slot of slots) {
      seen += this.counts[slot]!;
      if (seen > rank) return valueOf(slot);
    }
    return valueOf(slots[slots.length - 1]!);
  }

  /** Empties the list for the next step, touching only the slots used. */
  clear(): void {
    for (let i = 0; i < this.used; i++) this.counts[this.touched[i]!] = 0;
    this.used = 0;
    this.total = 0;
  }

  private add(slot: number, count: number): void {
    if (count === 0) return;
    const held = this.counts[slot]!;
    if (held === 0) this.touched[this.used++] = slot;
    this.counts[slot] = held + count;
    this.total += count;
  }
}

/** Where the sketch that starts at `start` ends (the next one begins), without counting it. */
export function skipSketch(bytes: Uint8Array, start: number): number {
  checkCodec(bytes, start);
  cursor.at = start + 1;
  readVarint(bytes, cursor);
  for (let sign = 0; sign < 2; sign++) {
    const length = readVarint(bytes, cursor);
    for (let i = 0; i < 2 * length; i++) readVarint(bytes, cursor);
  }
  return cursor.at;
}

function checkCodec(bytes: Uint8Array, start: number): void {
  if (bytes[start] !== SKETCH_CODEC_VERSION) throw new RangeError(`history sketch: unknown codec version ${bytes[start]}`);
}

/** Where decoding reads next: decoding is synchronous, so one cursor serves every list. */
const cursor: VarintCursor = { at: 0 };

function valueOf(slot: number): number {
  if (slot === ZERO_SLOT) return 0;
  return slot > ZERO_SLOT ? mapping.value(slot - ZERO_SLOT - KEY_LIMIT - 1) : -mapping.value(KEY_LIMIT - slot);
}
