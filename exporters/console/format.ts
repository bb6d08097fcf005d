import type { EventBatch } from '../../src/model/event.js';
import type { MetricBatch } from '../../src/model/point.js';

/** Turns one batch into the text of one write: whole lines, each ending in a newline. */
export interface BatchFormat {
  metrics(batch: MetricBatch): string;
  alerts(batch: EventBatch): string;
}

// The points of one batch mostly share their time (a window's close): the last one is remembered.
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
