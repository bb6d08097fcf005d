import type { EventBatch, MetricBatch } from '../../src/index.js';

/** Turns one batch into the text of one write: whole lines, each ending in a newline. */
export interface BatchFormat {
  metrics(batch: MetricBatch): string;
  alerts(batch: EventBatch): string;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
