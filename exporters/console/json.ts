import { eventLine, pointLine } from '../../src/index.js';
import type { EventBatch, MetricBatch } from '../../src/index.js';
import type { BatchFormat } from './format.js';

function lines<T>(items: readonly T[], line: (item: T) => string): string {
  let text = '';
  for (const item of items) text += `${line(item)}\n`;
  return text;
}

export const jsonLines: BatchFormat = {
  metrics: (batch: MetricBatch) => lines(batch, pointLine),
  alerts: (batch: EventBatch) => lines(batch, eventLine),
};
