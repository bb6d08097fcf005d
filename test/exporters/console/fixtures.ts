import type { HealthEvent } from '../../../src/model/event.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';

/** 2024-05-01T12:01:00.000Z: every golden string below is stamped from it. */
export const T = Date.UTC(2024, 4, 1, 12, 1, 0);

const api = new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1', 'process.pid': 4242 }));
const postgres = new SeriesSet(new Resource({ 'service.name': 'postgres', 'service.instance.id': 'db-1' }));

const cpu = api.get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });
const memory = api.get({ name: 'process.memory.usage', unit: 'By', kind: 'gauge' });
const up = postgres.get({ name: 'healthcheck.up', unit: '1', kind: 'gauge' });
const duration = postgres.get({ name: 'healthcheck.duration', unit: 's', kind: 'gauge' }, { 'check.type': 'tcp' });

export const points: MetricPoint[] = [
  { series: cpu.with('aggregate', 'mean', 'gauge'), value: 0.123456, time: T },
  { series: memory.with('aggregate', 'max', 'gauge'), value: 123456789, time: T },
  { series: up, value: 1, time: T - 500 },
  { series: duration, value: 0.0042, time: T - 500 },
];

export const firing: HealthEvent = {
  fingerprint: '9f1c2b3a',
  service: 'api',
  rule: 'memory',
  level: 'critical',
  previousLevel: 'warning',
  value: 0.975,
  threshold: 0.97,
  window: 60_000,
  startsAt: T,
  state: 'firing',
  labels: { team: 'payments' },
  time: T,
};

export const resolved: HealthEvent = {
  fingerprint: '77aa0e11',
  service: 'postgres',
  rule: 'error_rate',
  level: 'info',
  previousLevel: 'error',
  value: 0,
  threshold: 0.1,
  startsAt: T - 300_000,
  endsAt: T + 15_000,
  state: 'resolved',
  labels: {},
  time: T + 15_000,
};
