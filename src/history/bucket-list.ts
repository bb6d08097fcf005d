import { SKETCH_RELATIVE_ACCURACY } from './sketch.js';
import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping/index.js';

const mapping = new LogarithmicMapping(SKETCH_RELATIVE_ACCURACY);

/** Past any bucket key of the mapping (|key| < 40,000 at 1 %): positives sort above it, negatives below its negation. */
const SIGN_OFFSET = 1_000_000;

/**
 * The buckets of many encoded sketches gathered as a list, for one quantile of them all: what
 * a range step does with the sketches of its rollup cells. A list of (code, count) pairs
 * sorted once costs far less than a map per step when each cell holds a few buckets.
 * Codes order as the values: negatives (largest magnitude first), zero, positives.
 */
export class BucketList {
  readonly codes: number[] = [];
  readonly counts: number[] = [];
  total = 0;

  /**
   * Adds the buckets of encoded sketches (HistorySketch.encode, codec 1): one, or several
   * written one after another (the codec delimits itself).
   */
  addEncoded(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) at = this.addOne(bytes, at);
  }

  private addOne(bytes: Uint8Array, start: number): number {
    if (bytes[start] !== 1) throw new RangeError(`history sketch: unknown codec version ${bytes[start]}`);
    let at = start + 1;
    const read = (): number => {
      let value = 0;
      let factor = 1;
      for (;;) {
        const byte = bytes[at++];
        if (byte === undefined) throw new RangeError('history sketch: truncated bytes');
        value += (byte & 0x7f) * factor;
        if (byte < 0x80) return value;
        factor *= 0x80;
      }
    };
    const zeros = read();
    if (zeros > 0) this.push(0, zeros);
    for (const sign of [1, -1]) {
      const length = read();
      let key = 0;
      for (let i = 0; i < length; i++) {
        const delta = read();
        key += delta % 2 === 0 ? delta / 2 : -(delta + 1) / 2;
        this.push(sign * (SIGN_OFFSET + key), read());
      }
    }
    return at;
  }

  /** The value at quantile `q`, by the rank rule of HistorySketch.quantile; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    const order = this.codes.map((_, i) => i).sort((a, b) => this.codes[a]! - this.codes[b]!);
    let seen = 0;
    for (const i of order) {
      seen += this.counts[i]!;
      if (seen > rank) return valueOf(this.codes[i]!);
    }
    return valueOf(this.codes[order[order.length - 1]!]!);
  }

  private push(code: number, count: number): void {
    this.codes.push(code);
    this.counts.push(count);
    this.total += count;
  }
}

function valueOf(code: number): number {
  if (code === 0) return 0;
  return code > 0 ? mapping.value(code - SIGN_OFFSET) : -mapping.value(-code - SIGN_OFFSET);
}
