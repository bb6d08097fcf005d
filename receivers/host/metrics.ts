/**
 * What `@opentelemetry/host-metrics` 0.39.0 emits about the machine, read from its source
 * (`build/src/metric.js`): the name, the group it is switched by (its `metricGroups`), and
 * the semantic conventions' unit. host-metrics gives a unit only to `system.cpu.time`; the
 * others come without one, and a byte count without `By` reads as a bare number (the console
 * could not show it as MiB, a backend could not convert it). A unit host-metrics does give
 * is kept.
 */
export const HOST_METRICS = {
  'system.cpu.time': { group: 'system.cpu', unit: 's', about: 'CPU seconds since boot, per logical CPU and state (user, system, idle, interrupt, nice)' },
  'system.cpu.utilization': { group: 'system.cpu', unit: '1', about: 'Share of each logical CPU spent in each state since the last read (0..1)' },
  'system.memory.usage': { group: 'system.memory', unit: 'By', about: 'Memory in use and free, in bytes, by state (used, free)' },
  'system.memory.utilization': { group: 'system.memory', unit: '1', about: 'Memory in use and free as a share of the total (0..1), by state' },
  'system.network.io': { group: 'system.network', unit: 'By', about: 'Bytes received and sent since boot on the default interface, by direction' },
  'system.network.errors': { group: 'system.network', unit: '{error}', about: 'Receive and transmit errors since boot on the default interface' },
  'system.network.dropped': { group: 'system.network', unit: '{packet}', about: 'Packets dropped since boot on the default interface, by direction' },
} as const;

export type HostMetricName = keyof typeof HOST_METRICS;

export const HOST_METRIC_NAMES = Object.keys(HOST_METRICS) as HostMetricName[];

export function isHostMetric(name: string): name is HostMetricName {
  return Object.hasOwn(HOST_METRICS, name);
}
