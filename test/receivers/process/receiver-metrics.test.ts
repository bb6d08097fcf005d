import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/model/point.js';
import { startChild, stopAllChildren, stopChild } from './children.js';
import { batches, batchesUntil, linux, only, points, receive } from './receive.js';
import { startTcpHolder, type TcpHolder } from './sockets/tcp-holder.js';

const holders: TcpHolder[] = [];
const writers: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await Promise.all(holders.splice(0).map((holder) => holder.stop()));
  await stopAllChildren();
});

describe.runIf(linux)('process receiver metrics beyond the default set (procfs, real processes)', () => {
  it('counts the TCP connections of a process holding known sockets, by state, zeros included', async () => {
    const holder = await startTcpHolder(4);
    holders.push(holder);
    const { batches$ } = receive({
      targets: [{ service: 'server', pid: holder.pid }],
      metrics: { 'process.network.connection.count': { enabled: true } },
    });
    const [batch] = await batches(batches$, 1);
    const byState = Object.fromEntries(
      points(batch!, 'process.network.connection.count').map((point) => [point.series.attributes['network.connection.state'], point.value]),
    );
    expect(byState).toMatchObject({ listen: 1, established: 8, time_wait: 0, close_wait: 0, syn_sent: 0 });
    expect(Object.keys(byState)).toHaveLength(11);
    expect(only(batch!, 'process.uptime').series.resource.attributes['process.pid']).toBe(holder.pid);
  }, 30_000);

  it('reads disk I/O as a monotonic sum by direction: the bytes the kernel counts for the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'healthpipe-disk-io-'));
    dirs.push(dir);
    // Writes 1 MiB with fsync, then idles, so its counters stay still while the test compares.
    const script = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'w');
      fs.writeSync(fd, Buffer.alloc(1 << 20)); fs.fsyncSync(fd); fs.closeSync(fd); console.log('written'); setInterval(() => {}, 1000);`;
    const writer = spawn(process.execPath, ['-e', script, join(dir, 'data')], { stdio: ['ignore', 'pipe', 'inherit'] });
    writers.push(writer);
    await new Promise((resolve) => writer.stdout!.once('data', resolve));
    const { batches$ } = receive({
      targets: [{ service: 'writer', pid: writer.pid! }],
      metrics: { 'process.disk.io': { enabled: true }, 'process.unix.file_descriptor.count': { enabled: true } },
    });
    const [batch] = await batches(batches$, 1);
    const kernel = readFileSync(`/proc/${writer.pid}/io`, 'latin1');
    const io = Object.fromEntries(points(batch!, 'process.disk.io').map((point) => [point.series.attributes['disk.io.direction'], point]));
    expect(Object.keys(io).sort()).toEqual(['read', 'write']);
    expect(io.write!.value).toBe(Number(/^write_bytes: (\d+)$/m.exec(kernel)![1]));
    expect(io.read!.value).toBe(Number(/^read_bytes: (\d+)$/m.exec(kernel)![1]));
    for (const point of points(batch!, 'process.disk.io')) {
      expect(point.series).toMatchObject({ unit: 'By', kind: 'sum', monotonic: true });
      expect(point.startTime).toBe(Date.parse(String(point.series.resource.attributes['process.creation.time'])));
    }
    expect(only(batch!, 'process.unix.file_descriptor.count').value).toBeGreaterThan(0);
  }, 30_000);

  it('switches off metrics of the default set and adds the command line only when asked', async () => {
    const pid = await startChild();
    const { batches$ } = receive({
      targets: [{ service: 'worker', pid }],
      metrics: { 'process.cpu.utilization': { enabled: false }, 'process.memory.virtual': { enabled: false }, 'process.cpu.time': { enabled: false } },
      resource_attributes: { 'process.command_line': { enabled: true } },
    });
    const [, second] = await batches(batches$, 2);
    expect(new Set(second!.map((point) => point.series.name))).toEqual(
      new Set(['process.memory.usage', 'process.memory.utilization', 'process.thread.count', 'process.uptime']),
    );
    expect(second![0]!.series.resource.attributes['process.command_line']).toBe(`${process.execPath} -e setInterval(() => {}, 1000)`);
  }, 30_000);

  it('leaves the command line out of the resource by default', async () => {
    const pid = await startChild();
    const { batches$ } = receive({ targets: [{ service: 'worker', pid }] });
    const [batch] = await batches(batches$, 1);
    expect(batch![0]!.series.resource.attributes).not.toHaveProperty('process.command_line');
    expect(points(batch!, 'process.disk.io')).toHaveLength(0);
    expect(points(batch!, 'process.network.connection.count')).toHaveLength(0);
  }, 30_000);

  it('reports a process that ends as one not_found error, counted and logged once, with every read switched on', async () => {
    const pid = await startChild();
    const { batches$, context } = receive({
      targets: [{ service: 'worker', pid }],
      metrics: {
        'process.disk.io': { enabled: true },
        'process.network.connection.count': { enabled: true },
        'process.unix.file_descriptor.count': { enabled: true },
      },
      resource_attributes: { 'process.command_line': { enabled: true } },
    });
    const failed = (batch: MetricBatch) => batch.some((point) => point.series.name === 'process.scrape.error');
    const received = await batchesUntil(
      batches$,
      (all) => all.filter(failed).length === 2,
      (all) => {
        if (all.length === 1) void stopChild(pid);
      },
    );
    expect(received.at(-1)).toHaveLength(1);
    expect(received.at(-1)![0]!.series.attributes).toEqual({ 'error.type': 'not_found' });
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'worker', 'error.type': 'not_found' });
    expect(context.telemetry.counts.refused).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
