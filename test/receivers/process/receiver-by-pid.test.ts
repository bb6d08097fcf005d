import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startChild, stopAllChildren } from './children.js';
import { batches, linux, only, points, receive } from './receive.js';

afterEach(() => stopAllChildren());

describe.runIf(linux)('process receiver by PID (procfs, real processes)', () => {
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

  it('watches its own process with `self: true`', async () => {
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }] });
    const [batch] = await batches(batches$, 1);
    expect(batch![0]!.series.resource.attributes).toMatchObject({ 'service.name': 'healthpipe', 'process.pid': process.pid });
    expect(only(batch!, 'process.memory.usage').value).toBeGreaterThan(0);
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

describe('process receiver (pidusage backend)', () => {
  it('reads a process through pidusage: total CPU time, RSS, uptime and the executable', async () => {
    const pid = await startChild();
    const { batches$ } = receive({ backend: 'pidusage', targets: [{ service: 'worker', pid }, { service: 'ghost', pid: 2 ** 22 }] });
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
