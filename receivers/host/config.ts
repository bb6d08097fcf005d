import { duration, z } from '../../src/index.js';
import { HOST_METRICS, HOST_METRIC_NAMES, type HostMetricName } from './metrics.js';

/** `metrics.<name>.enabled`, the collector's way (and the `process` receiver's). */
function metricSwitch(name: HostMetricName) {
  return z
    .strictObject({ enabled: z.boolean().default(true).describe(`Emit \`${name}\`.`) })
    .prefault({})
    .describe(HOST_METRICS[name].about);
}

const metricsSchema = z
  .strictObject(Object.fromEntries(HOST_METRIC_NAMES.map((name) => [name, metricSwitch(name)])) as {
    [name in HostMetricName]: ReturnType<typeof metricSwitch>;
  })
  .prefault({})
  .describe(
    'Each metric can be turned off. A group (system.cpu, system.memory, system.network) with every metric off is not measured at all; the network group runs `ip route` and a `cat` of /sys files on each read.',
  );

export const hostConfigSchema = z
  .strictObject({
    collection_interval: duration({
      min: '1s',
      max: '24h',
      maxReason: 'a machine read less than once a day is not watched',
    })
      .prefault('15s')
      .describe('How often the machine is read; utilizations cover the time since the previous read'),
    service: z
      .string()
      .min(1)
      .default('host')
      .describe('`service.name` of the host resource: the row and the series name the machine goes by beside the services on it'),
    metrics: metricsSchema,
  })
  .describe("CPU, memory and network of the machine the agent runs on, through @opentelemetry/host-metrics");

export type HostConfig = z.output<typeof hostConfigSchema>;

/** The metric names the configuration leaves on. */
export function enabledMetrics(config: HostConfig): ReadonlySet<HostMetricName> {
  return new Set(HOST_METRIC_NAMES.filter((name) => config.metrics[name].enabled));
}

/** host-metrics' groups with at least one metric on: the only ones it is asked to measure. */
export function enabledGroups(enabled: ReadonlySet<HostMetricName>): string[] {
  return [...new Set([...enabled].map((name) => HOST_METRICS[name].group))];
}
