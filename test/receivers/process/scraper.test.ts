import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/model/point.js';
import { ProcessScraper } from '../../../receivers/process/scraper.js';
import { staticTargets, discoveredTargets } from '../../../receivers/process/targets.js';
import type { HostFacts } from '../../../receivers/process/watched-process.js';
import { createTestContext } from '../../helpers/context.js';
import { FakeBackend } from './fake-backend.js';

const HOST: HostFacts = { hostname: 'host-a', cores: 2, totalMemory: () => 1000 };

function setUp(tolerance = 0) {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = Date.UTC(2024, 0, 1, 0, 10);
  const context = createTestContext({ scheduler });
  const backend = new FakeBackend(tolerance);
  const scraper = new ProcessScraper(backend, context, HOST);
  const advance = (ms: number) => (scheduler.frame += ms);
  return { context, backend, scraper, advance };
}

function byName(batch: MetricBatch): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of batch) {
    const mode = point.series.attributes['cpu.mode'];
    out[mode === undefined ? point.series.name : `${point.series.name}/${String(mode)}`] = point.value;
  }
  return out;
}

describe('ProcessScraper', () => {
  it('turns one sample into the default points, on the process resource', async () => {
    const { scraper, backend } = setUp();
    backend.set({ pid: 100 });
    const [target] = staticTargets([{ service: 'api', pid: 100, labels: { team: 'payments', 'service.name': 'spoof' } }]);
    const batch = await scraper.scrape([target!]);

    expect(byName(batch)).toEqual({
      'process.cpu.time/user': 3,
      'process.cpu.time/system': 1,
      'process.memory.usage': 250,
      'process.memory.utilization': 0.25,
      'process.memory.virtual': 4000,
      'process.thread.count': 4,
      'process.uptime': 600,
    });
    expect(batch.find((point) => point.series.name === 'process.cpu.time')?.startTime).toBe(Date.UTC(2024, 0, 1));
    expect(batch.every((point) => point.time === Date.UTC(2024, 0, 1, 0, 10))).toBe(true);
    expect(batch[0]!.series).toMatchObject({ unit: 's', kind: 'sum', monotonic: true });
    expect(batch[0]!.series.resource.attributes).toEqual({
      team: 'payments',
      'service.name': 'api',
      'service.instance.id': 'host-a:100',
      'process.pid': 100,
      'process.executable.name': 'api',
      'process.owner': 'svc',
      'process.creation.time': '2024-01-01T00:00:00.000Z',
    });
  });

  it('reports utilization from the second scrape, divided by the core count, on the same series', async () => {
    const { scraper, backend, advance } = setUp();
    const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);
    backend.set({ pid: 100, cpuTotal: 4 });
    const first = await scraper.scrape(targets);
    expect(byName(first)['process.cpu.utilization']).toBeUndefined();

    advance(2000);
    backend.set({ pid: 100, cpuTotal: 5 });
    const second = await scraper.scrape(targets);
    // 1 CPU second in 2 s on 2 cores.
    expect(byName(second)['process.cpu.utilization']).toBe(0.25);
    expect(second[0]!.series).toBe(first[0]!.series);
    expect(second[0]!.series.resource).toBe(first[0]!.series.resource);
  });

  it('starts over when the PID is reused by a process with another creation time', async () => {
    const { scraper, backend, advance } = setUp();
    const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);
    backend.set({ pid: 100 });
    const before = await scraper.scrape(targets);
    advance(1000);
    backend.set({ pid: 100, creationTime: Date.UTC(2024, 0, 1, 0, 9), cpuTotal: 0.1 });
    const after = await scraper.scrape(targets);

    expect(after[0]!.series.resource).not.toBe(before[0]!.series.resource);
    expect(after[0]!.series.resource.attributes['process.creation.time']).toBe('2024-01-01T00:09:00.000Z');
    // No utilization across two different processes.
    expect(byName(after)['process.cpu.utilization']).toBeUndefined();
  });

  it('keeps the process when a derived creation time wobbles within the tolerance', async () => {
    const { scraper, backend } = setUp(2000);
    const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);
    backend.set({ pid: 100 });
    const before = await scraper.scrape(targets);
    backend.set({ pid: 100, creationTime: Date.UTC(2024, 0, 1) + 1000 });
    const after = await scraper.scrape(targets);
    expect(after[0]!.series.resource).toBe(before[0]!.series.resource);
  });

  it('emits one total cpu.time when the backend has no user/system split', async () => {
    const { scraper, backend } = setUp();
    backend.set({ pid: 100, cpuUser: undefined, cpuSystem: undefined, cpuTotal: 7, memoryVirtual: undefined, threads: undefined });
    const batch = await scraper.scrape(staticTargets([{ service: 'api', pid: 100, labels: {} }]));
    expect(byName(batch)).toEqual({
      'process.cpu.time': 7,
      'process.memory.usage': 250,
      'process.memory.utilization': 0.25,
      'process.uptime': 600,
    });
  });

  it('turns a process that vanished into an error point on its own resource, counted and logged once', async () => {
    const { scraper, backend, context } = setUp();
    const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);
    backend.set({ pid: 100 });
    const alive = await scraper.scrape(targets);
    backend.processes.delete(100);
    const batches = [await scraper.scrape(targets), await scraper.scrape(targets), await scraper.scrape(targets)];

    for (const batch of batches) {
      expect(batch).toHaveLength(1);
      expect(batch[0]).toMatchObject({ value: 1 });
      expect(batch[0]!.series).toMatchObject({ name: 'process.scrape.error', attributes: { 'error.type': 'not_found' } });
      expect(batch[0]!.series.resource).toBe(alive[0]!.series.resource);
    }
    expect(batches[1]![0]!.series).toBe(batches[0]![0]!.series);
    expect(context.telemetry.counts).toMatchObject({ accepted: alive.length, refused: 3 });
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'api', pid: 100, 'error.type': 'not_found', code: 'ENOENT' });
  });

  it('reports an unreadable PID file on a target resource without a PID', async () => {
    const { scraper, context } = setUp();
    const targets = staticTargets([{ service: 'db', pid_file: '/nonexistent/healthpipe-test/db.pid', labels: { tier: 'data' } }]);
    const batch = await scraper.scrape(targets);
    expect(batch).toHaveLength(1);
    expect(batch[0]!.series.attributes).toEqual({ 'error.type': 'pid_file_unreadable' });
    expect(batch[0]!.series.resource.attributes).toEqual({
      tier: 'data',
      'service.name': 'db',
      'service.instance.id': 'host-a:pid_file /nonexistent/healthpipe-test/db.pid',
    });
    expect(context.logs.records()[0]).toMatchObject({ 'error.type': 'pid_file_unreadable', code: 'ENOENT' });
  });

  it('uses the discovered instance id, closes the series of a target that leaves with one stale marker each, and drops its state', async () => {
    const { scraper, backend } = setUp();
    backend.set({ pid: 100 });
    const targets = discoveredTargets([{ id: 'api-1', source: 'registry', service: 'api', pid: 100, labels: {} }]);
    const first = await scraper.scrape(targets);
    expect(first[0]!.series.resource.attributes['service.instance.id']).toBe('api-1');

    const left = await scraper.scrape([]);
    expect(left.every((point) => point.stale === true && Number.isNaN(point.value))).toBe(true);
    expect(left.map((point) => point.series)).toEqual(first.map((point) => point.series));
    expect(await scraper.scrape([])).toEqual([]);
    const again = await scraper.scrape(targets);
    // Forgotten in between: new series, and no utilization from a stale reading.
    expect(again[0]!.series).not.toBe(first[0]!.series);
    expect(byName(again)['process.cpu.utilization']).toBeUndefined();
  });

  it('returns nothing once closed, and closes the backend', async () => {
    const { scraper, backend } = setUp();
    backend.set({ pid: 100 });
    scraper.close();
    expect(backend.closed).toBe(true);
    expect(await scraper.scrape(staticTargets([{ service: 'api', pid: 100, labels: {} }]))).toEqual([]);
  });
});
