import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { historyExporter } from '../../exporters/history/index.js';
import type { HealthEvent } from '../../src/model/event.js';
import type { MetricPoint } from '../../src/model/point.js';
import { Resource, SeriesSet } from '../../src/model/series.js';
import { openDataStore } from '../../src/storage/index.js';
import { createTestContext } from '../helpers/context.js';

/** 2026-11-30T12:00:00.000Z: the newest point of the fixture; `status` runs 10 s later. */
export const T = Date.UTC(2026, 10, 30, 12, 0, 0);
export const NOW = T + 10_000;
const SECOND = 1000;

function set(service: string): SeriesSet {
  return new SeriesSet(new Resource({ 'service.name': service, 'service.instance.id': `${service}-1` }));
}

const api = set('api');
const db = set('db');
const batch = set('batch');

const gauge = (name: string, unit: string) => ({ name, unit, kind: 'gauge' as const });

/**
 * `api`: four checks in the last minute, one failed (error rate 25 %), answering in 100 ms
 * to 1.2 s, its process at 12.3 % CPU, 117.7 MiB (1.5 %), 12 connections (and a state last seen 3 h ago), and a critical
 * alert firing for 2 min. `db`: checked, down, no process and no rule (level unknown).
 * `batch`: only what a `window` made of its checks (mean 0.5). `gone`: an alert that fired
 * and resolved, no points.
 */
export function fixturePoints(): MetricPoint[] {
  const up = api.get(gauge('healthcheck.up', '1'));
  const duration = api.get(gauge('healthcheck.duration', 's'));
  const state = api.get(gauge('healthcheck.state', '1'));
  const connections = api.get({ name: 'process.network.connection.count', unit: '{connection}', kind: 'gauge' }, {});
  const points: MetricPoint[] = [];
  [1, 1, 0, 1].forEach((value, index) => {
    const time = T - (3 - index) * 15 * SECOND;
    points.push({ series: up, value, time }, { series: duration, value: [0.1, 0.2, 1.2, 0.3][index]!, time }, { series: state, value: 0, time });
  });
  points.push(
    { series: api.get(gauge('process.cpu.utilization', '1')), value: 0.123, time: T },
    { series: api.get(gauge('process.memory.usage', 'By')), value: 123456789, time: T },
    { series: api.get(gauge('process.memory.utilization', '1')), value: 0.015, time: T },
    { series: connections.with('network.connection.state', 'established'), value: 8, time: T },
    { series: connections.with('network.connection.state', 'time_wait'), value: 4, time: T },
    // A socket state last seen hours ago (a process that ended): its last value is no longer added.
    { series: connections.with('network.connection.state', 'close_wait'), value: 100, time: T - 3 * 3_600_000 },
    { series: db.get(gauge('healthcheck.up', '1')), value: 0, time: T - 5 * SECOND },
    { series: db.get(gauge('healthcheck.state', '1')), value: 2, time: T - 5 * SECOND },
    { series: db.get(gauge('healthcheck.duration', 's')), value: 5, time: T - 5 * SECOND },
    { series: batch.get(gauge('healthcheck.up', '1')).with('aggregate', 'mean', 'gauge'), value: 0.5, time: T - 20 * SECOND },
  );
  return points;
}

export function fixtureEvents(): HealthEvent[] {
  return [
    {
      fingerprint: 'f-api-memory',
      service: 'api',
      rule: 'memory',
      level: 'critical',
      previousLevel: 'info',
      value: 0.975,
      threshold: 0.97,
      message: 'memory 97.5% of RAM',
      startsAt: T - 120 * SECOND,
      state: 'firing',
      labels: { team: 'payments' },
      time: T - 120 * SECOND,
    },
    {
      fingerprint: 'f-gone-latency',
      service: 'gone',
      rule: 'latency',
      level: 'error',
      previousLevel: 'info',
      value: 2,
      threshold: 1,
      startsAt: T - 600 * SECOND,
      state: 'firing',
      labels: {},
      time: T - 600 * SECOND,
    },
    {
      fingerprint: 'f-gone-latency',
      service: 'gone',
      rule: 'latency',
      level: 'info',
      previousLevel: 'error',
      value: 0.5,
      threshold: 1,
      startsAt: T - 600 * SECOND,
      endsAt: T - 300 * SECOND,
      state: 'resolved',
      labels: {},
      time: T - 300 * SECOND,
    },
  ];
}

/** Writes the fixture into `<dataDir>/healthpipe.db` through the real `history` exporter, and closes the store as a stopped agent does. */
export async function writeFixtureStore(dataDir: string, points = fixturePoints(), events = fixtureEvents()): Promise<void> {
  const store = openDataStore(dataDir);
  try {
    const context = createTestContext({ id: 'history', store });
    const exporter = historyExporter.create(historyExporter.schema.parse({}), context);
    await exporter.start?.();
    await exporter.consume(points, 'metrics');
    await exporter.consume(events, 'alerts');
    await exporter.flush();
    await exporter.shutdown();
  } finally {
    store.close();
  }
}

/**
 * A temporary directory with a `pipeline.yaml` whose data_dir is `./data` (relative: it
 * resolves against the file's directory, as for `run`) and keeps history; the store itself is
 * written by `writeFixtureStore(join(dir, 'data'))`.
 */
export function fixtureDirectory(prefix: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const config = join(dir, 'pipeline.yaml');
  const yaml = [
    'receivers:',
    '  process:',
    '    targets: [{ service: me, self: true }]',
    'exporters:',
    '  history: {}',
    'service:',
    '  data_dir: ./data',
    '  pipelines:',
    '    metrics: { receivers: [process], exporters: [history] }',
  ];
  writeFileSync(config, `${yaml.join('\n')}\n`);
  return { dir, config };
}

/** What the command writes to stderr, kept instead of printed (restored by vi.restoreAllMocks). */
export function captureStderr(): string[] {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return writes;
}
