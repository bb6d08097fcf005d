import { hostname } from 'node:os';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { hostReceiver } from '../../../receivers/host/index.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';

const SYSTEM_METRICS: Record<string, string> = {
  'system.cpu.time': 's',
  'system.cpu.utilization': '1',
  'system.memory.usage': 'By',
  'system.memory.utilization': '1',
  'system.network.io': 'By',
  'system.network.errors': '{error}',
  'system.network.dropped': '{packet}',
};

/** Waits for real reads (host-metrics' I/O) to land; virtual time only moves when the test says. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function namesOf(batch: MetricBatch): Set<string> {
  return new Set(batch.map((point) => point.series.name));
}

let subscription: Subscription | undefined;
let context: TestContext | undefined;
afterEach(() => {
  subscription?.unsubscribe();
  context?.store.close();
});

/** The receiver on a stepping scheduler, its batches collected. */
function run(config: unknown, scheduler = new SteppingScheduler()) {
  context = createTestContext({ id: 'host', scheduler });
  const batches: MetricBatch[] = [];
  subscription = hostReceiver.create(hostReceiver.schema.parse(config), context).subscribe((batch) => batches.push(batch));
  return { batches, scheduler, context };
}

describe('host receiver, reading the machine through host-metrics', () => {
  it('emits CPU, memory and network on the host resource, stamped with the scheduler time, every collection_interval', async () => {
    const { batches, scheduler } = run({ collection_interval: '10s' });
    scheduler.advanceTo(0);
    await until(() => batches.length === 1, 'the first read');
    const [first] = batches;
    const names = namesOf(first!);
    for (const name of ['system.cpu.time', 'system.cpu.utilization', 'system.memory.usage', 'system.memory.utilization']) expect(names).toContain(name);
    for (const name of names) expect(Object.keys(SYSTEM_METRICS)).toContain(name);
    for (const point of first!) {
      expect(point.time).toBe(0);
      expect(point.series.unit).toBe(SYSTEM_METRICS[point.series.name]);
      expect(Number.isFinite(point.value)).toBe(true);
      expect(point.series.resource.attributes).toEqual({ 'service.name': 'host', 'service.instance.id': hostname(), 'host.name': hostname() });
    }
    const memory = first!.filter((point) => point.series.name === 'system.memory.utilization');
    expect(memory.map((point) => point.series.attributes['system.memory.state']).sort()).toEqual(['free', 'used']);
    expect(memory.reduce((sum, point) => sum + point.value, 0)).toBeCloseTo(1, 6);
    const cpuTime = first!.filter((point) => point.series.name === 'system.cpu.time');
    expect(cpuTime.length).toBeGreaterThanOrEqual(5);
    expect(cpuTime.every((point) => point.series.kind === 'sum' && point.startTime !== undefined && point.startTime <= 0)).toBe(true);

    scheduler.advanceTo(9_999);
    expect(batches).toHaveLength(1);
    scheduler.advanceTo(10_000);
    await until(() => batches.length === 2, 'the second read');
    expect(batches[1]!.every((point) => point.time === 10_000)).toBe(true);
    // The same series objects come back on every read: one identity per series.
    const seriesOf = (batch: MetricBatch) => new Set(batch.filter((p) => p.series.name === 'system.memory.usage').map((p) => p.series));
    expect(seriesOf(batches[1]!)).toEqual(seriesOf(first!));
  });

  it('on Linux reads the default interface into system.network.*, by direction', async () => {
    if (process.platform !== 'linux') return;
    const { batches, scheduler } = run({});
    scheduler.advanceTo(0);
    await until(() => batches.length === 1, 'the first read');
    const io = batches[0]!.filter((point) => point.series.name === 'system.network.io');
    // A machine without a default route (a sandbox) has no interface to read: then nothing, never zeros made up.
    if (io.length === 0) return;
    expect(io.map((point) => point.series.attributes['network.io.direction']).sort()).toEqual(['receive', 'transmit']);
    expect(io.every((point) => point.series.kind === 'sum' && point.series.monotonic && point.value >= 0)).toBe(true);
  });

  it("never emits host-metrics' process.* figures: the agent's own process is the process receiver's", async () => {
    const { batches, scheduler } = run({});
    scheduler.advanceTo(0);
    await until(() => batches.length === 1, 'the first read');
    expect([...namesOf(batches[0]!)].filter((name) => !name.startsWith('system.'))).toEqual([]);
  });

  it('leaves out each metric turned off, and a whole group without asking host-metrics for it', async () => {
    const { batches, scheduler } = run({
      service: 'machine-a',
      metrics: { 'system.cpu.time': { enabled: false }, 'system.network.io': { enabled: false }, 'system.network.errors': { enabled: false }, 'system.network.dropped': { enabled: false } },
    });
    scheduler.advanceTo(0);
    await until(() => batches.length === 1, 'the first read');
    expect(namesOf(batches[0]!)).toEqual(new Set(['system.cpu.utilization', 'system.memory.usage', 'system.memory.utilization']));
    expect(batches[0]![0]!.series.resource.serviceName).toBe('machine-a');
  });

  it('with every metric off emits nothing and says so once', async () => {
    const off = Object.fromEntries(Object.keys(SYSTEM_METRICS).map((name) => [name, { enabled: false }]));
    const { batches, scheduler, context } = run({ metrics: off });
    scheduler.advanceTo(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches).toEqual([]);
    expect(context.logs.records().filter((record) => String(record['message']).includes('every host metric is turned off'))).toHaveLength(1);
  });
});
