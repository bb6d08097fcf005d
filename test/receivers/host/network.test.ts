import { readFileSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostConfigSchema } from '../../../receivers/host/config.js';
import { hostMetrics$ } from '../../../receivers/host/receiver.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/**
 * What host-metrics 0.39.0's network group emitted through this receiver (its fallback path,
 * `hostMetrics$(config, context, null)`) on the build machine: the shape ours must keep.
 */
const HOST_METRICS_NETWORK = JSON.parse(fixture('host-metrics-network.json')) as Array<{
  name: string;
  unit: string;
  kind: string;
  monotonic: boolean;
  description: string;
  attributes: Record<string, string>;
}>;

const CPU_AND_MEMORY_OFF = {
  'system.cpu.time': { enabled: false },
  'system.cpu.utilization': { enabled: false },
  'system.memory.usage': { enabled: false },
  'system.memory.utilization': { enabled: false },
};

let subscription: Subscription | undefined;
let context: TestContext | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  subscription?.unsubscribe();
  context?.store.close();
});

/** The receiver on a stepping scheduler, reading `/proc/net/dev` text from `texts` in turn (the last one kept). */
function run(config: unknown, texts: string[]) {
  const scheduler = new SteppingScheduler();
  context = createTestContext({ id: 'host', scheduler });
  let reads = 0;
  const read = async () => texts[Math.min(reads++, texts.length - 1)]!;
  const batches: MetricBatch[] = [];
  subscription = hostMetrics$(hostConfigSchema.parse(config), context, read).subscribe((batch) => batches.push(batch));
  const next = async (time: number) => {
    const count = batches.length;
    scheduler.advanceTo(time);
    for (let turn = 0; batches.length === count; turn++) {
      if (turn > 1000) throw new Error(`no batch at ${time}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return batches[batches.length - 1]!;
  };
  return { next, batches, context };
}

const valueOf = (batch: MetricBatch, name: string, device: string, direction: string) =>
  batch.find((point) => point.series.name === name && point.series.attributes['system.device'] === device && point.series.attributes['network.io.direction'] === direction);

const shapeOf = (point: MetricPoint) => ({
  name: point.series.name,
  unit: point.series.unit,
  kind: point.series.kind,
  monotonic: point.series.monotonic,
  description: point.series.description,
  attributeKeys: Object.keys(point.series.attributes).sort(),
  direction: point.series.attributes['network.io.direction'],
});

describe('host receiver, network from /proc/net/dev', () => {
  it("emits host-metrics' names, units, kinds, descriptions and attributes, for every device but loopback", async () => {
    const { next } = run({ collection_interval: '5s', metrics: CPU_AND_MEMORY_OFF }, [fixture('proc-net-dev.txt')]);
    const batch = await next(0);
    const expected = HOST_METRICS_NETWORK.map((row) => ({
      name: row.name,
      unit: row.unit,
      kind: row.kind,
      monotonic: row.monotonic,
      description: row.description,
      attributeKeys: Object.keys(row.attributes).sort(),
      direction: row.attributes['network.io.direction'],
    }));
    const shapes = (points: readonly MetricPoint[]) => [...new Set(points.map((point) => JSON.stringify(shapeOf(point))))].sort();
    expect(shapes(batch)).toEqual([...new Set(expected.map((row) => JSON.stringify(row)))].sort());
    expect(new Set(batch.map((point) => point.series.attributes['system.device']))).toEqual(new Set(['eth0', 'enp0s31f6', 'wg-a:b']));
    expect(batch).toHaveLength(3 * 3 * 2);
    expect(valueOf(batch, 'system.network.io', 'eth0', 'receive')?.value).toBe(1340584677);
    expect(valueOf(batch, 'system.network.io', 'eth0', 'transmit')?.value).toBe(5184688);
    expect(valueOf(batch, 'system.network.errors', 'eth0', 'receive')?.value).toBe(3);
    expect(valueOf(batch, 'system.network.dropped', 'eth0', 'transmit')?.value).toBe(2);
    expect(batch.every((point) => point.time === 0 && point.startTime === 0)).toBe(true);
    expect(batch.every((point) => point.series.resource.serviceName === 'host')).toBe(true);
  });

  it('reads again every collection_interval, keeping each series and its start time (the first read)', async () => {
    const later = fixture('proc-net-dev.txt').replace('1340584677', '1340600000');
    const { next, batches } = run({ collection_interval: '5s', metrics: CPU_AND_MEMORY_OFF }, [fixture('proc-net-dev.txt'), later]);
    const first = await next(0);
    const second = await next(5_000);
    expect(batches).toHaveLength(2);
    const before = valueOf(first, 'system.network.io', 'eth0', 'receive')!;
    const after = valueOf(second, 'system.network.io', 'eth0', 'receive')!;
    expect(after.series).toBe(before.series);
    expect([after.value, after.time, after.startTime]).toEqual([1340600000, 5_000, 0]);
  });

  it('marks the series of a device that disappeared stale, once, and starts a re-created one anew', async () => {
    const text = fixture('proc-net-dev.txt');
    const withoutEth0 = text.split('\n').filter((line) => !line.includes('eth0:')).join('\n');
    const eth0Reset = text.replace('1340584677', '10');
    const { next } = run({ collection_interval: '5s', metrics: CPU_AND_MEMORY_OFF }, [text, withoutEth0, withoutEth0, text, eth0Reset]);
    await next(0);
    const gone = await next(5_000);
    const stale = gone.filter((point) => point.stale);
    expect(stale).toHaveLength(6);
    expect(stale.every((point) => point.series.attributes['system.device'] === 'eth0' && Number.isNaN(point.value))).toBe(true);
    expect((await next(10_000)).filter((point) => point.stale || point.series.attributes['system.device'] === 'eth0')).toEqual([]);
    expect(valueOf(await next(15_000), 'system.network.io', 'eth0', 'receive')?.startTime).toBe(15_000);
    // Counters that went back: the interface counts from zero again since the previous read.
    const reset = valueOf(await next(20_000), 'system.network.io', 'eth0', 'receive')!;
    expect([reset.value, reset.startTime]).toEqual([10, 15_000]);
  });

  it('emits only the network metrics left on, and no network at all with all three off', async () => {
    const { next } = run({ collection_interval: '5s', metrics: { ...CPU_AND_MEMORY_OFF, 'system.network.errors': { enabled: false } } }, [fixture('proc-net-dev.txt')]);
    expect(new Set((await next(0)).map((point) => point.series.name))).toEqual(new Set(['system.network.io', 'system.network.dropped']));
    subscription?.unsubscribe();
    context?.store.close();

    const noNetwork = run({ metrics: { 'system.network.io': { enabled: false }, 'system.network.errors': { enabled: false }, 'system.network.dropped': { enabled: false } } }, []);
    const batch = await noNetwork.next(0);
    expect(batch.some((point) => point.series.name.startsWith('system.network.'))).toBe(false);
    expect(batch.some((point) => point.series.name === 'system.memory.usage')).toBe(true);
  });

  it('leaves the network out of a batch when /proc/net/dev cannot be read, says so once, and keeps CPU and memory', async () => {
    const scheduler = new SteppingScheduler();
    context = createTestContext({ id: 'host', scheduler });
    let reads = 0;
    const failing = async () => {
      reads++;
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const batches: MetricBatch[] = [];
    subscription = hostMetrics$(hostConfigSchema.parse({ collection_interval: '5s' }), context, failing).subscribe((batch) => batches.push(batch));
    for (const time of [0, 5_000]) {
      scheduler.advanceTo(time);
      const deadline = performance.now() + 20_000;
      while (batches.length < time / 5_000 + 1 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(reads).toBe(2);
    expect(batches).toHaveLength(2);
    for (const batch of batches) {
      expect(batch.some((point) => point.series.name === 'system.memory.usage')).toBe(true);
      expect(batch.some((point) => point.series.name.startsWith('system.network.'))).toBe(false);
    }
    expect(context.logs.records().filter((record) => String(record['message']).includes('/proc/net/dev'))).toHaveLength(1);
  });

  it("asks host-metrics for its network group only where there is no /proc/net/dev", () => {
    const start = vi.spyOn(HostMetrics.prototype, 'start');
    const groupsAsked = () => (start.mock.contexts.at(-1) as unknown as { _metricGroups: string[] })._metricGroups;
    const config = hostConfigSchema.parse({});
    const scheduler = new SteppingScheduler();
    context = createTestContext({ id: 'host', scheduler });
    hostMetrics$(config, context, async () => '').subscribe().unsubscribe();
    expect(groupsAsked()).toEqual(['system.cpu', 'system.memory']);
    hostMetrics$(config, context, null).subscribe().unsubscribe();
    expect(groupsAsked()).toEqual(['system.cpu', 'system.memory', 'system.network']);
  });
});
