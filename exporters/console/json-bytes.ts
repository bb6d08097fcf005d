import { isoTime, pointLine } from '../../src/index.js';
import type { MetricBatch, MetricPoint, Series } from '../../src/index.js';

/**
 * The JSON lines of a batch straight into one Buffer, byte for byte what `pointLine` writes.
 * A window's figures come out together (thousands of points a window), and as one string
 * they cost a rope of five parts per line, a flattened copy of the whole text and its UTF-8
 * copy for the write: young-generation garbage and large objects that made the console
 * exporter the agent's largest cost. Here a series' bytes are made once, a batch's time once,
 * and a point adds its value's few characters.
 */

/** The bytes of a series' line around its value: `,"name":…,"value":` and `,"unit":…,"resource":{…}`. */
interface SeriesBytes {
  readonly beforeValue: Buffer;
  readonly afterValue: Buffer;
  readonly beforeText: string;
  readonly afterText: string;
}

/** `pointLine` of a point at time 0 starts with this; the series' part follows. */
const PROBE_START = '{"time":"1970-01-01T00:00:00.000Z"';
/** The longest number JSON writes (`-1.2345678901234567e-308`) and `null` fit in this. */
const MAX_VALUE_BYTES = 24;

const seriesBytes = new WeakMap<Series, SeriesBytes>();

/** Cut from `pointLine` itself, so the two cannot disagree on the shape. */
function bytesOf(series: Series): SeriesBytes {
  let bytes = seriesBytes.get(series);
  if (bytes === undefined) {
    const line = pointLine({ series, value: 0, time: 0 });
    const value = line.indexOf('"value":0', PROBE_START.length + JSON.stringify(series.name).length + 9) + '"value":'.length;
    const beforeText = line.slice(PROBE_START.length, value);
    const afterText = line.slice(value + 1, -1);
    bytes = { beforeValue: Buffer.from(beforeText), afterValue: Buffer.from(afterText), beforeText, afterText };
    seriesBytes.set(series, bytes);
  }
  return bytes;
}

/** What follows the resource: `,"partial":true` and the message, as `pointLine` writes them. Rare: a whole line is made for it. */
function extraOf(point: MetricPoint, value: string): string {
  const bytes = bytesOf(point.series);
  const line = pointLine(point);
  return line.slice(`{"time":"${isoTime(point.time)}"`.length + bytes.beforeText.length + value.length + bytes.afterText.length, -1);
}

/** JSON.stringify of a number: its shortest text, and null for NaN and ±Infinity. */
function valueText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

let timeMs = Number.NaN;
let timeBytes = Buffer.alloc(0);

function timeOf(ms: number): Buffer {
  if (ms !== timeMs) {
    timeBytes = Buffer.from(`{"time":"${isoTime(ms)}"`);
    timeMs = ms;
  }
  return timeBytes;
}

/**
 * The lines of the measured points (staleness markers left out, as `jsonLines` does); an
 * empty buffer when none. Written into `spare` when it is large enough (a buffer whose
 * previous write has completed: its pages are already there), else into a new one.
 */
export function measuredPointBytes(batch: MetricBatch, spare?: Buffer): Buffer {
  let size = 0;
  for (let i = 0; i < batch.length; i++) {
    const point = batch[i]!;
    if (point.stale === true) continue;
    const bytes = bytesOf(point.series);
    size += timeOf(point.time).length + bytes.beforeValue.length + MAX_VALUE_BYTES + bytes.afterValue.length + 2;
    if (point.partial === true || point.message !== undefined) size += Buffer.byteLength(extraOf(point, valueText(point.value)));
  }
  if (size === 0) return Buffer.alloc(0);
  // Outside the heap: a window's text is megabytes.
  const out = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < batch.length; i++) {
    const point = batch[i]!;
    if (point.stale === true) continue;
    const bytes = bytesOf(point.series);
    const time = timeOf(point.time);
    out.set(time, at);
    at += time.length;
    out.set(bytes.beforeValue, at);
    at += bytes.beforeValue.length;
    const value = valueText(point.value);
    // A number's text is a few ASCII characters: copied here rather than through Buffer#write's argument handling.
    for (let c = 0; c < value.length; c++) out[at++] = value.charCodeAt(c);
    out.set(bytes.afterValue, at);
    at += bytes.afterValue.length;
    if (point.partial === true || point.message !== undefined) at += out.write(extraOf(point, value), at);
    out[at++] = 0x7d; // }
    out[at++] = 0x0a; // \n
  }
  return out.subarray(0, at);
}
