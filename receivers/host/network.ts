import { Series, staleMarker, type MetricPoint, type Resource, type SeriesDescriptor } from '../../src/index.js';
import { HOST_METRICS, type HostMetricName } from './metrics.js';
import type { DirectionCounters, InterfaceCounters } from './proc-net-dev.js';

type NetworkMetricName = Extract<HostMetricName, `system.network.${string}`>;

/**
 * host-metrics 0.39.0's network instruments (`build/src/metric.js`): observable counters,
 * so cumulative monotonic sums, with its descriptions; the unit is the one `prepare` gives
 * them (host-metrics gives none). Which counter of `/proc/net/dev` each one is.
 */
const NETWORK_METRICS: Record<NetworkMetricName, { description: string; counter: keyof DirectionCounters }> = {
  'system.network.io': { description: 'Network transmit and received bytes', counter: 'bytes' },
  'system.network.errors': { description: 'Network errors counter', counter: 'errors' },
  'system.network.dropped': { description: 'Network dropped packets', counter: 'dropped' },
};

/** host-metrics' attribute keys and values (its `semconv.js`). */
const DEVICE = 'system.device';
const DIRECTION = 'network.io.direction';
const DIRECTIONS = ['receive', 'transmit'] as const;

/** Linux's loopback device: traffic of the machine with itself, not on any network. */
const LOOPBACK = 'lo';

interface DeviceState {
  /** Start of the cumulative sums: when this receiver first saw the device, or the read before its counters went back (a re-created interface). */
  start: number;
  last: InterfaceCounters;
  readonly series: ReadonlyArray<readonly [Series, NetworkMetricName, (typeof DIRECTIONS)[number]]>;
}

/**
 * The `system.network.*` points of one subscription, from `/proc/net/dev` counters. State is
 * per device present: a device that disappears (a container's veth removed) gets a stale
 * marker per series and is forgotten, so churn leaves nothing behind.
 */
export class NetworkPoints {
  private readonly devices = new Map<string, DeviceState>();
  private lastRead: number | undefined;

  constructor(
    private readonly resource: Resource,
    private readonly enabled: readonly NetworkMetricName[],
  ) {}

  points(interfaces: readonly InterfaceCounters[], now: number): MetricPoint[] {
    const points: MetricPoint[] = [];
    const seen = new Set<string>();
    for (const counters of interfaces) {
      if (counters.device === LOOPBACK || seen.has(counters.device)) continue;
      seen.add(counters.device);
      const state = this.stateOf(counters, now);
      for (const [series, metric, direction] of state.series) {
        points.push({ series, value: counters[direction][NETWORK_METRICS[metric].counter], time: now, startTime: state.start });
      }
    }
    for (const [device, state] of this.devices) {
      if (seen.has(device)) continue;
      for (const [series] of state.series) points.push(staleMarker(series, now));
      this.devices.delete(device);
    }
    this.lastRead = now;
    return points;
  }

  private stateOf(counters: InterfaceCounters, now: number): DeviceState {
    const state = this.devices.get(counters.device);
    if (state === undefined) {
      const created: DeviceState = { start: now, last: counters, series: this.seriesOf(counters.device) };
      this.devices.set(counters.device, created);
      return created;
    }
    if (wentBack(state.last, counters)) state.start = this.lastRead ?? now;
    state.last = counters;
    return state;
  }

  private seriesOf(device: string): DeviceState['series'] {
    return this.enabled.flatMap((metric) =>
      DIRECTIONS.map((direction) => [new Series(descriptorOf(metric), { [DEVICE]: device, [DIRECTION]: direction }, this.resource), metric, direction] as const),
    );
  }
}

/** One descriptor object per metric, shared by all its series. */
const descriptors = new Map<NetworkMetricName, Required<SeriesDescriptor>>();

function descriptorOf(metric: NetworkMetricName): Required<SeriesDescriptor> {
  let descriptor = descriptors.get(metric);
  if (descriptor === undefined) {
    descriptor = { name: metric, unit: HOST_METRICS[metric].unit, kind: 'sum', monotonic: true, description: NETWORK_METRICS[metric].description };
    descriptors.set(metric, descriptor);
  }
  return descriptor;
}

/** A counter lower than last time: the interface was re-created under the same name and counts from zero again. */
function wentBack(before: InterfaceCounters, now: InterfaceCounters): boolean {
  return DIRECTIONS.some((direction) => (Object.keys(before[direction]) as Array<keyof DirectionCounters>).some((key) => now[direction][key] < before[direction][key]));
}

export function isNetworkMetric(name: HostMetricName): name is NetworkMetricName {
  return Object.hasOwn(NETWORK_METRICS, name);
}
