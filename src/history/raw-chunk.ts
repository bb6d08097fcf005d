/** Bytes per point in a raw chunk: time and value, float64 each (ms times are exact in a double). */
const POINT_BYTES = 16;

/** The points of one series from one write as a chunk's BLOB, in the order given (oldest first). */
export function encodeRawChunk(times: readonly number[], values: readonly number[]): Buffer {
  const bytes = Buffer.allocUnsafe(times.length * POINT_BYTES);
  for (let i = 0; i < times.length; i++) {
    bytes.writeDoubleLE(times[i]!, i * POINT_BYTES);
    bytes.writeDoubleLE(values[i]!, i * POINT_BYTES + 8);
  }
  return bytes;
}

/** Calls `each` with every point of a chunk's BLOB. */
export function forEachRawPoint(bytes: Buffer, each: (time: number, value: number) => void): void {
  for (let at = 0; at + POINT_BYTES <= bytes.length; at += POINT_BYTES) {
    each(bytes.readDoubleLE(at), bytes.readDoubleLE(at + 8));
  }
}
