import type { SeriesDescriptor } from '../../src/model/series.js';

/**
 * The receiver's metrics, named and typed after the OpenTelemetry semantic conventions for
 * processes. Memory, threads and descriptors are gauges: the value at the scrape.
 */
export const PROCESS_METRICS = {
  cpuTime: {
    name: 'process.cpu.time',
    unit: 's',
    kind: 'sum',
    monotonic: true,
    description: 'CPU seconds used by the process, by cpu.mode (user, system)',
  },
  cpuUtilization: {
    name: 'process.cpu.utilization',
    unit: '1',
    kind: 'gauge',
    description: 'Share of all CPUs used since the previous scrape (0..1, divided by the core count)',
  },
  memoryUsage: {
    name: 'process.memory.usage',
    unit: 'By',
    kind: 'gauge',
    description: 'Resident set size (RSS)',
  },
  memoryUtilization: {
    name: 'process.memory.utilization',
    unit: '1',
    kind: 'gauge',
    description: 'Resident set size as a share of the total memory of the host (0..1)',
  },
  memoryVirtual: {
    name: 'process.memory.virtual',
    unit: 'By',
    kind: 'gauge',
    description: 'Virtual memory size',
  },
  threadCount: {
    name: 'process.thread.count',
    unit: '{thread}',
    kind: 'gauge',
    description: 'Threads of the process',
  },
  fileDescriptorCount: {
    name: 'process.unix.file_descriptor.count',
    unit: '{file_descriptor}',
    kind: 'gauge',
    description: 'Open file descriptors, where the agent may read them',
  },
  diskIo: {
    name: 'process.disk.io',
    unit: 'By',
    kind: 'sum',
    monotonic: true,
    description: 'Bytes the process made the storage layer read and write, by disk.io.direction (read_bytes, write_bytes of /proc/PID/io)',
  },
  networkConnectionCount: {
    name: 'process.network.connection.count',
    unit: '{connection}',
    kind: 'gauge',
    description: 'TCP sockets (IPv4 and IPv6) the process holds, by network.connection.state',
  },
  uptime: {
    name: 'process.uptime',
    unit: 's',
    kind: 'gauge',
    description: 'Seconds since the process started',
  },
  scrapeError: {
    name: 'process.scrape.error',
    unit: '1',
    kind: 'gauge',
    description: 'Always 1: the target could not be read, for the reason in error.type',
  },
} as const satisfies Record<string, SeriesDescriptor>;

/** The names of the metrics a user can switch on or off (`metrics.<name>.enabled`); the scrape error always stays. */
export type SwitchableMetric = Exclude<(typeof PROCESS_METRICS)[keyof typeof PROCESS_METRICS]['name'], 'process.scrape.error'>;

/** Which metrics a scrape emits. */
export type EnabledMetrics = Readonly<Record<SwitchableMetric, boolean>>;
