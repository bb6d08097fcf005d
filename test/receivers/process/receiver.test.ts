import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY, NEVER, firstValueFrom, of, take, takeUntil, throwError, timer, toArray, type Observable } from 'rxjs';
import type { Resource } from '../../../src/model/series.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TargetSet } from '../../../src/component/targets.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { processReceiver } from '../../../receivers/process/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { startChild, stopAllChildren, stopChild } from './children.js';

const linux = process.platform === 'linux';
const dir = mkdtempSync(join(tmpdir(), 'healthpipe-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => stopAllChildren());

function receive(config: Record<string, unknown>, options: { targets$?: Observable<TargetSet>; context?: TestContext } = {}) {
  const context = options.context ?? createTestContext({ targets$: options.targets$ });
  const parsed = processReceiver.schema.parse({ collection_interval: '50ms', ...config });
  return { context, batches$: processReceiver.create(parsed, context) };
}

function batches(batches$: Observable<MetricBatch>, count: number): Promise<MetricBatch[]> {
  return firstValueFrom(batches$.pipe(take(count), toArray()));
}

function points(batch: MetricBatch, name: string): MetricPoint[] {
  return batch.filter((point) => point.series.name === name);
}

function only(batch: MetricBatch, name: string): MetricPoint {
  const found = points(batch, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe.runIf(linux)('process receiver (procfs, real processes)', () => {
  it('watches a process by PID: sane figures, units and resource', async () => {
    const pid = await startChild();
    const { batches$, context } = receive({ targets: [{ service: 'worker', pid, labels: { team: 'payments' } }] });
    const [first, second] = await batches(batches$, 2);

    expect(new Set(first!.map((point) => point.series.name))).toEqual(
      new Set(['process.cpu.time', 'process.memory.usage', 'process.memory.utilization', 'process.memory.virtual', 'process.thread.count', 'process.uptime']),
    );
    const cpu = points(first!, 'process.cpu.time');
    expect(cpu.map((point) => point.series.attributes['cpu.mode']).sort()).toEqual(['system', 'user']);
    for (const point of cpu) {
      expect(point.series).toMatchObject({ unit: 's', kind: 'sum', monotonic: true });
      expect(point.value).toBeGreaterThanOrEqual(0);
      expect(point.startTime).toBe(Date.parse(String(point.series.resource.attributes['process.creation.time'])));
    }
    expect(only(first!, 'process.memory.usage').value).toBeGreaterThan(0);
    expect(only(first!, 'process.memory.usage').series.unit).toBe('By');
    expect(only(first!, 'process.memory.utilization').value).toBeGreaterThan(0);
    expect(only(first!, 'process.memory.utilization').value).toBeLessThan(1);
    expect(only(first!, 'process.memory.virtual').value).toBeGreaterThanOrEqual(only(first!, 'process.memory.usage').value);
    expect(only(first!, 'process.thread.count').value).toBeGreaterThanOrEqual(1);
    expect(only(first!, 'process.uptime').value).toBeGreaterThanOrEqual(0);

    const utilization = only(second!, 'process.cpu.utilization');
    expect(utilization.series.unit).toBe('1');
    expect(utilization.value).toBeGreaterThanOrEqual(0);
    expect(utilization.value).toBeLessThanOrEqual(1);

    const resource = first![0]!.series.resource;
    expect(second![0]!.series.resource).toBe(resource);
    expect(resource.attributes).toMatchObject({
      team: 'payments',
      'service.name': 'worker',
      'service.instance.id': `${hostname()}:${pid}`,
      'process.pid': pid,
      'process.executable.name': 'node',
    });
    expect(typeof resource.attributes['process.owner']).toBe('string');
    expect(Date.parse(String(resource.attributes['process.creation.time']))).not.toBeNaN();
    expect(context.telemetry.counts.accepted).toBe(first!.length + second!.length);
    expect(context.telemetry.counts.refused).toBe(0);
  });

  it('follows a PID file, re-read on every scrape, to the restarted process', async () => {
    const pidFile = join(dir, 'api.pid');
    const before = await startChild();
    const after = await startChild();
    writeFileSync(pidFile, `${before}\n`);
    const { batches$ } = receive({ targets: [{ service: 'api', pid_file: pidFile }] });
    const resources = await new Promise<Resource[]>((resolve, reject) => {
      const seen: Resource[] = [];
      const subscription = batches$.subscribe({
        next: (batch) => {
          seen.push(batch[0]!.series.resource);
          // The "restart": the next scrape must find the new PID in the same file.
          if (seen.length === 1) writeFileSync(pidFile, `${after}\n`);
          if (seen.length === 3) {
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        error: reject,
      });
    });
    expect(resources.map((resource) => resource.attributes['process.pid'])).toEqual([before, after, after]);
    expect(resources[1]).not.toBe(resources[0]);
    expect(resources[2]).toBe(resources[1]);
  });

  it('watches its own process with `self: true`', async () => {
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }] });
    const [batch] = await batches(batches$, 1);
    expect(batch![0]!.series.resource.attributes).toMatchObject({ 'service.name': 'healthpipe', 'process.pid': process.pid });
    expect(only(batch!, 'process.memory.usage').value).toBeGreaterThan(0);
  });

  it('reports a PID that does not exist as not_found on every tick, logs it once and never errors', async () => {
    const { batches$, context } = receive({ targets: [{ service: 'ghost', pid: 2 ** 22 + 12345 }] });
    const received = await batches(batches$, 3);
    for (const batch of received) {
      expect(batch).toHaveLength(1);
      expect(batch[0]!.value).toBe(1);
      expect(batch[0]!.series).toMatchObject({ name: 'process.scrape.error', attributes: { 'error.type': 'not_found' } });
    }
    expect(context.telemetry.counts.refused).toBe(3);
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'ghost', 'error.type': 'not_found' });
  });

  it('tells a PID file of a dead process from a missing or garbled PID file', async () => {
    const dead = await startChild();
    await stopChild(dead);
    writeFileSync(join(dir, 'dead.pid'), `${dead}\n`);
    writeFileSync(join(dir, 'garbled.pid'), 'not a pid\n');
    const { batches$, context } = receive({
      targets: [
        { service: 'dead', pid_file: join(dir, 'dead.pid') },
        { service: 'missing', pid_file: join(dir, 'missing.pid') },
        { service: 'garbled', pid_file: join(dir, 'garbled.pid') },
      ],
    });
    const [first, second] = await batches(batches$, 2);
    for (const batch of [first!, second!]) {
      expect(
        batch.map((point) => [point.series.resource.serviceName, point.series.attributes['error.type'], point.series.resource.attributes['process.pid']]),
      ).toEqual([
        ['dead', 'not_found', dead],
        ['missing', 'pid_file_unreadable', undefined],
        ['garbled', 'pid_file_unreadable', undefined],
      ]);
    }
    expect(context.logs.records().filter((record) => record.level === 'warn')).toHaveLength(3);
  });

  it('keeps going when a watched process exits: the error joins its resource', async () => {
    const pid = await startChild();
    const { batches$ } = receive({ targets: [{ service: 'worker', pid }] });
    const received: MetricBatch[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = batches$.subscribe({
        next: (batch) => {
          received.push(batch);
          if (received.length === 1) void stopChild(pid);
          if (batch.some((point) => point.series.name === 'process.scrape.error')) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    const error = received.at(-1)![0]!;
    expect(error.series.attributes).toEqual({ 'error.type': 'not_found' });
    expect(error.series.resource).toBe(received[0]![0]!.series.resource);
  });

  it('counts file descriptors only when the metric is enabled', async () => {
    const pid = await startChild();
    const off = await batches(receive({ targets: [{ service: 'a', pid }] }).batches$, 1);
    expect(points(off[0]!, 'process.unix.file_descriptor.count')).toEqual([]);
    const on = await batches(
      receive({ targets: [{ service: 'a', pid }], metrics: { 'process.unix.file_descriptor.count': { enabled: true } } }).batches$,
      1,
    );
    const fds = only(on[0]!, 'process.unix.file_descriptor.count');
    expect(fds.series.unit).toBe('{file_descriptor}');
    expect(fds.value).toBeGreaterThanOrEqual(3);
  });

  it('reads a busy process: CPU time only grows, utilization stays within 0..1', async () => {
    const pid = await startChild({ busy: true });
    const received = await batches(receive({ collection_interval: '100ms', targets: [{ service: 'busy', pid }] }).batches$, 3);
    const user = received.map((batch) => points(batch, 'process.cpu.time').find((p) => p.series.attributes['cpu.mode'] === 'user')!.value);
    expect(user[1]).toBeGreaterThanOrEqual(user[0]!);
    expect(user[2]).toBeGreaterThanOrEqual(user[1]!);
    for (const batch of received.slice(1)) {
      const value = only(batch, 'process.cpu.utilization').value;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  it('releases every descriptor it opened on unsubscribe', async () => {
    const pids = [await startChild(), await startChild()];
    const baseline = readdirSync('/proc/self/fd').length;
    const { batches$ } = receive({
      targets: pids.map((pid) => ({ service: 'a', pid })),
      metrics: { 'process.unix.file_descriptor.count': { enabled: true } },
    });
    await batches(batches$, 2);
    expect(readdirSync('/proc/self/fd').length).toBe(baseline);
  });
});

describe.runIf(linux)('process receiver targets', () => {
  it('adds discovered instances with a PID when targets_from names a source', async () => {
    const pid = await startChild();
    const targets$ = of<TargetSet>([
      { id: 'api-1', service: 'api', pid, labels: { zone: 'a' } },
      { id: 'web-1', service: 'web', healthUrl: 'http://127.0.0.1:1/health', labels: {} },
    ]);
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }], targets_from: ['registry'] }, { targets$ });
    const [batch] = await batches(batches$, 1);
    const services = new Map(batch!.map((point) => [point.series.resource.serviceName, point.series.resource.attributes]));
    expect([...services.keys()]).toEqual(['healthpipe', 'api']);
    expect(services.get('api')).toMatchObject({ 'service.instance.id': 'api-1', 'process.pid': pid, zone: 'a' });
  });

  it('ignores discovery when targets_from is empty', async () => {
    const pid = await startChild();
    const targets$ = of<TargetSet>([{ id: 'api-1', service: 'api', pid, labels: {} }]);
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }] }, { targets$ });
    const [batch] = await batches(batches$, 1);
    expect(new Set(batch!.map((point) => point.series.resource.serviceName))).toEqual(new Set(['healthpipe']));
  });

  it('scrapes the configured targets when discovery is empty, silent or failing', async () => {
    for (const targets$ of [EMPTY, NEVER, throwError(() => new Error('registry down'))]) {
      const { batches$, context } = receive({ targets: [{ service: 'healthpipe', self: true }], targets_from: ['registry'] }, { targets$ });
      const received = await batches(batches$, 2);
      expect(received.every((batch) => batch[0]!.series.resource.serviceName === 'healthpipe')).toBe(true);
      expect(context.telemetry.counts.refused).toBe(0);
    }
  });

  it('emits no empty batches when there is nothing to watch', async () => {
    const { batches$ } = receive({ collection_interval: '20ms' });
    const received = await firstValueFrom(batches$.pipe(takeUntil(timer(150)), toArray()));
    expect(received).toEqual([]);
  });
});

describe('process receiver (pidusage backend)', () => {
  it('reads a process through pidusage: total CPU time, RSS, uptime and the executable', async () => {
    const pid = await startChild();
    const { batches$ } = receive({ backend: 'pidusage', targets: [{ service: 'worker', pid }, { service: 'ghost', pid: 2 ** 22 + 12345 }] });
    const [first, second] = await batches(batches$, 2);
    const worker = first!.filter((point) => point.series.resource.serviceName === 'worker');
    expect(worker.map((point) => point.series.name).sort()).toEqual([
      'process.cpu.time',
      'process.memory.usage',
      'process.memory.utilization',
      'process.uptime',
    ]);
    expect(only(worker, 'process.cpu.time').series.attributes).toEqual({});
    expect(only(worker, 'process.memory.usage').value).toBeGreaterThan(0);
    expect(worker[0]!.series.resource.attributes).toMatchObject({ 'process.pid': pid, 'process.executable.name': 'node' });
    const ghost = first!.filter((point) => point.series.resource.serviceName === 'ghost');
    expect(ghost.map((point) => point.series.attributes['error.type'])).toEqual(['not_found']);
    const utilization = only(second!.filter((point) => point.series.resource.serviceName === 'worker'), 'process.cpu.utilization');
    expect(utilization.value).toBeGreaterThanOrEqual(0);
    expect(utilization.value).toBeLessThanOrEqual(1);
    expect(second!.find((point) => point.series.resource.serviceName === 'worker')!.series.resource).toBe(worker[0]!.series.resource);
  });
});
