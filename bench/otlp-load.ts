/**
 * The end-to-end OTLP bench's load, shaped like an agent's (DESIGN §6): per interval, RESOURCES
 * resources (process instances of a few services on a few hosts) of POINTS_PER_RESOURCE points
 * each, the ten a process receiver reports: CPU time by mode, memory, threads, descriptors,
 * disk I/O by direction and context switches by kind. Counters grow, gauges wander. One
 * description, read both by the agent's plugin receiver and by the bare JS exporter, so both
 * ship the same series with the same values.
 */

export const RESOURCES = 1000;
export const POINTS_PER_RESOURCE = 10;
export const POINTS_PER_INTERVAL = RESOURCES * POINTS_PER_RESOURCE;

export interface LoadMetric {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'gauge' | 'sum';
  readonly attributes: Readonly<Record<string, string>>;
  /** The value at interval `tick` of resource `index`: counters never decrease. */
  value(index: number, tick: number): number;
}

/** A counter that grows by a resource-dependent step every interval. */
const counter = (perTick: number) => (index: number, tick: number) => (tick + 1) * perTick * (1 + (index % 7));
/** A gauge around a resource-dependent level. */
const gauge = (level: number) => (index: number, tick: number) => level * (1 + (index % 13)) + ((tick * 31 + index) % 17);

export const LOAD_METRICS: readonly LoadMetric[] = [
  { name: 'process.cpu.time', unit: 's', kind: 'sum', attributes: { 'cpu.mode': 'user' }, value: counter(0.013) },
  { name: 'process.cpu.time', unit: 's', kind: 'sum', attributes: { 'cpu.mode': 'system' }, value: counter(0.004) },
  { name: 'process.memory.usage', unit: 'By', kind: 'gauge', attributes: {}, value: gauge(48 * 2 ** 20) },
  { name: 'process.memory.virtual', unit: 'By', kind: 'gauge', attributes: {}, value: gauge(900 * 2 ** 20) },
  { name: 'process.thread.count', unit: '{thread}', kind: 'gauge', attributes: {}, value: gauge(4) },
  { name: 'process.unix.file_descriptor.count', unit: '{file_descriptor}', kind: 'gauge', attributes: {}, value: gauge(20) },
  { name: 'process.disk.io', unit: 'By', kind: 'sum', attributes: { 'disk.io.direction': 'read' }, value: counter(4096) },
  { name: 'process.disk.io', unit: 'By', kind: 'sum', attributes: { 'disk.io.direction': 'write' }, value: counter(16384) },
  { name: 'process.context_switches', unit: '{context_switch}', kind: 'sum', attributes: { 'process.context_switch_type': 'voluntary' }, value: counter(25) },
  { name: 'process.context_switches', unit: '{context_switch}', kind: 'sum', attributes: { 'process.context_switch_type': 'involuntary' }, value: counter(3) },
];

/** `bench.sender` of the agent's copy of the load and of the bare exporter's. */
export const AGENT_SENDER = 'healthpipe';
export const BARE_SENDER = 'otel-js';

const SERVICES = 40;
/** Processes per host: consecutive instances share a host (the bare exporter's 100-point requests are one host's). */
export const PROCESSES_PER_HOST = 10;

/**
 * The resource attributes of instance `index`: service, instance, host and process, as the
 * process receiver sets them; `bench.sender` tells the agent's copy of the load from the bare
 * exporter's in the one VictoriaMetrics both ship to.
 */
export function loadResourceAttributes(index: number, sender: string): Record<string, string | number> {
  return {
    'bench.sender': sender,
    'service.name': `bench-service-${index % SERVICES}`,
    'service.instance.id': `bench-instance-${index}`,
    'host.name': `bench-host-${Math.floor(index / PROCESSES_PER_HOST)}.example.internal`,
    'process.pid': 10_000 + index,
    'process.executable.name': 'node',
  };
}
