import type { EventBatch, MetricBatch } from '../../src/index.js';

/**
 * Turns one batch into the text of one write: whole lines, each ending in a newline. `width`
 * is the line length a table is cut to; JSON lines are never cut.
 */
export interface BatchFormat {
  metrics(batch: MetricBatch, width: number): string;
  alerts(batch: EventBatch, width: number): string;
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
