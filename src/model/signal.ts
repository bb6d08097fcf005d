import type { MetricBatch } from './point.js';
import type { EventBatch } from './event.js';

/** The two signals a pipeline can carry, as the collector types its pipelines. */
export const SIGNALS = ['metrics', 'alerts'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface SignalBatch {
  metrics: MetricBatch;
  alerts: EventBatch;
}

export type AnyBatch = MetricBatch | EventBatch;
