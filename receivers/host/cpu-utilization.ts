import { cpus, type CpuInfo } from 'node:os';
import { SeriesSet, type MetricPoint, type Resource, type SeriesDescriptor } from '../../src/index.js';

/** host-metrics 0.39.0's `system.cpu.utilization` (its `metric.js`): a gauge per logical CPU and state. */
const DESCRIPTOR: SeriesDescriptor = { name: 'system.cpu.utilization', unit: '1', kind: 'gauge', description: 'Cpu usage time 0-1' };

/** host-metrics' states, each from `os.cpus()`' field of the same meaning. */
const STATES = [
  ['user', 'user'],
  ['system', 'sys'],
  ['idle', 'idle'],
  ['interrupt', 'irq'],
  ['nice', 'nice'],
] as const satisfies ReadonlyArray<readonly [string, keyof CpuInfo['times']]>;

interface Reading {
  readonly at: number;
  readonly cpus: readonly CpuInfo[];
}

/**
 * `system.cpu.utilization` of one subscription: the share of each CPU in each state since
 * this receiver's previous read. host-metrics keeps that baseline in its module (one for the
 * whole process, taken with `Date.now()` when it is loaded), so its first read covers the
 * time since the agent loaded it and two `host` receivers cut each other's windows short;
 * here each receiver has its own, on a monotonic clock. The first read only takes the
 * baseline: there is no interval to share out yet.
 */
export class CpuUtilization {
  private readonly series: SeriesSet;
  private previous: Reading | undefined;

  constructor(
    resource: Resource,
    private readonly readCpus: () => CpuInfo[] = cpus,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.series = new SeriesSet(resource);
  }

  points(now: number): MetricPoint[] {
    const current: Reading = { at: this.clock(), cpus: this.readCpus() };
    const previous = this.previous;
    this.previous = current;
    const elapsed = previous === undefined ? 0 : current.at - previous.at;
    // A changed CPU count (hotplug) has no baseline to compare with: the next read has.
    if (previous === undefined || elapsed <= 0 || previous.cpus.length !== current.cpus.length) return [];
    return current.cpus.flatMap((cpu, index) =>
      STATES.map(([state, field]) => ({
        series: this.series.get(DESCRIPTOR, { 'system.cpu.state': state, 'system.cpu.logical_number': String(index) }),
        value: (cpu.times[field] - previous.cpus[index]!.times[field]) / elapsed,
        time: now,
      })),
    );
  }
}
