import type { EventBatch, MetricBatch } from '../../src/index.js';

/**
 * Turns one batch into the text of one write: whole lines, each ending in a newline. `width`
 * is the line length a table is cut to; JSON lines are never cut.
 */
export interface BatchFormat {
  metrics(batch: MetricBatch, width: number): string;
  alerts(batch: EventBatch, width: number): string;
}
