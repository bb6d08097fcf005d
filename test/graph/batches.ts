import { Resource, SeriesSet } from '../../src/model/series.js';
import type { MetricBatch } from '../../src/model/point.js';
import type { HealthEvent } from '../../src/model/event.js';

const series = new SeriesSet(new Resource({ 'service.name': 'svc' })).get({ name: 'm', unit: '1', kind: 'gauge' });

/** A metric batch of these values. */
export const points = (...values: number[]): MetricBatch => values.map((value) => ({ series, value, time: 0 }));

/** A firing health event of rule (and fingerprint) `rule`. */
export const event = (rule: string): HealthEvent => ({
  fingerprint: rule,
  service: 'svc',
  rule,
  level: 'error',
  previousLevel: 'info',
  value: 1,
  threshold: 0.5,
  startsAt: 0,
  state: 'firing',
  labels: {},
  time: 0,
});
