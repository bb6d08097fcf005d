import type { SeriesDescriptor } from '../../src/index.js';

/** The states of `registry.instance.count`: every one is emitted on each collection once the registry has been read. */
export const INSTANCE_STATES = ['valid', 'stale', 'invalid'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export const REGISTRY_METRICS = {
  instanceCount: {
    name: 'registry.instance.count',
    unit: '{instance}',
    kind: 'gauge',
    description:
      'Instances of the last complete read by state: valid (published, the registry readable), stale (published, the registry down: its last set), invalid (entries skipped)',
  },
  heartbeatAge: {
    name: 'registry.heartbeat.age',
    unit: 's',
    kind: 'gauge',
    description: "Seconds since the registry last confirmed the instance (per source: the file checked, an http_sd answer, etcd's watch), on the instance's resource",
  },
} as const satisfies Record<string, SeriesDescriptor>;
