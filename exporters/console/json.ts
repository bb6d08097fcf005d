import { eventLine, pointLine } from '../../src/index.js';
import type { EventBatch, MetricBatch } from '../../src/index.js';
import type { BatchFormat } from './format.js';

function lines<T>(items: readonly T[], line: (item: T) => string): string {
  let text = '';
  for (const item of items) text += `${line(item)}\n`;
  return text;
}

/**
 * A staleness marker (`stale: true`) is left out: its value means nothing, and a tool reading
 * the lines would take the `null` for a measurement. The series simply has no more lines.
 */
function measuredPointLines(batch: MetricBatch): string {
  let text = '';
  for (const point of batch) if (point.stale !== true) text += `${pointLine(point)}\n`;
  return text;
}

export const jsonLines: BatchFormat = {
  metrics: measuredPointLines,
  alerts: (batch: EventBatch) => lines(batch, eventLine),
};
