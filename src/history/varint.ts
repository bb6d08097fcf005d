/** Where `readVarint` reads next and has read to: one object per decoding, or one shared (decoding is synchronous). */
export interface VarintCursor {
  at: number;
}

/** Unsigned LEB128 in arithmetic (counts past 2^31 survive), as the sketch codec writes it; advances the cursor. */
export function readVarint(bytes: Uint8Array, cursor: VarintCursor): number {
  let value = 0;
  let factor = 1;
  for (;;) {
    const byte = bytes[cursor.at++];
    if (byte === undefined) throw new RangeError('history sketch: truncated bytes');
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) return value;
    factor *= 0x80;
  }
}

/** `value` modulo `width`, never negative (times before 1970 included): a bucket is `time - floorMod(time, width)`. */
export function floorMod(value: number, width: number): number {
  return ((value % width) + width) % width;
}

/** Signed to unsigned as the sketch codec writes bucket-key deltas: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}
