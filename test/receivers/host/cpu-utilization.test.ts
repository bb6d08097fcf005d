import type { CpuInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CpuUtilization } from '../../../receivers/host/cpu-utilization.js';
import { Resource } from '../../../src/index.js';

type Times = CpuInfo['times'];

/** A machine whose CPU counters and monotonic clock the test moves. */
function machine() {
  const state = { at: 0, cpus: [{ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 }] as Times[] };
  const readCpus = () => state.cpus.map((times) => ({ model: 'test', speed: 0, times: { ...times } }));
  const spend = (ms: number, share: Partial<Times>) => {
    state.at += ms;
    for (const times of state.cpus) for (const [field, part] of Object.entries(share)) times[field as keyof Times] += ms * part;
  };
  return { state, readCpus, clock: () => state.at, spend };
}

const resource = new Resource({ 'service.name': 'host' });
const byState = (points: ReturnType<CpuUtilization['points']>) => Object.fromEntries(points.map((point) => [point.series.attributes['system.cpu.state'], point.value]));

describe('CpuUtilization', () => {
  it("gives nothing on the first read (the baseline), then each state's share since the previous read, with host-metrics' attributes", () => {
    const { readCpus, clock, spend } = machine();
    const utilization = new CpuUtilization(resource, readCpus, clock);
    spend(1_000, { user: 1 });
    expect(utilization.points(0)).toEqual([]);
    spend(10_000, { user: 0.25, sys: 0.25, idle: 0.5 });
    const points = utilization.points(10_000);
    expect(byState(points)).toEqual({ user: 0.25, system: 0.25, idle: 0.5, interrupt: 0, nice: 0 });
    expect(points.every((point) => point.time === 10_000 && point.series.attributes['system.cpu.logical_number'] === '0')).toBe(true);
    expect(points[0]!.series).toMatchObject({ name: 'system.cpu.utilization', unit: '1', kind: 'gauge', description: 'Cpu usage time 0-1' });
  });

  it("keeps one baseline per receiver: a second receiver's reads do not cut the first one's window", () => {
    const { readCpus, clock, spend } = machine();
    const every15s = new CpuUtilization(resource, readCpus, clock);
    const every5s = new CpuUtilization(resource, readCpus, clock);
    every15s.points(0);
    every5s.points(0);
    spend(5_000, { user: 1 });
    every5s.points(5_000);
    spend(10_000, { idle: 1 });
    every5s.points(15_000);
    // host-metrics' shared baseline would report the last 5 s only here: user 0.
    expect(byState(every15s.points(15_000)).user).toBeCloseTo(1 / 3, 9);
  });

  it('skips a read with no time passed or a changed CPU count instead of dividing by zero or mismatching CPUs', () => {
    const { state, readCpus, clock, spend } = machine();
    const utilization = new CpuUtilization(resource, readCpus, clock);
    utilization.points(0);
    expect(utilization.points(0)).toEqual([]);
    state.cpus.push({ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 });
    spend(1_000, { idle: 1 });
    expect(utilization.points(1_000)).toEqual([]);
    spend(1_000, { idle: 1 });
    expect(utilization.points(2_000)).toHaveLength(2 * 5);
  });
});
