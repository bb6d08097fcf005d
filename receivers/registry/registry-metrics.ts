import { Resource, SeriesSet, staleMarker, type MetricPoint, type Series, type ServiceInstance } from '../../src/index.js';
import { INSTANCE_STATES, REGISTRY_METRICS, type InstanceState } from './metrics.js';
import type { RegistryState } from './registry-state.js';

/**
 * The resource of an instance's heartbeat: the one health_check gives the instance's checks
 * (labels, then `service.name` and `service.instance.id`), so a rule on the heartbeat and
 * one on the checks speak of the same service instance.
 */
function instanceResource(instance: ServiceInstance): Resource {
  return new Resource({ ...instance.labels, 'service.name': instance.service, 'service.instance.id': instance.id });
}

/**
 * The receiver's points: instance counts on the registry's own resource
 * (`service.name=registry`, `service.instance.id` = the receiver id) and one heartbeat age
 * per instance on the instance's resource. Holds one series per known instance: an instance
 * that leaves (or changes service or labels) gets a staleness marker and is forgotten.
 */
export class RegistryMetrics {
  private readonly counts: ReadonlyMap<InstanceState, Series>;
  private readonly heartbeats = new Map<string, Series>();

  constructor(receiverId: string) {
    const set = new SeriesSet(new Resource({ 'service.name': 'registry', 'service.instance.id': receiverId }));
    this.counts = new Map(INSTANCE_STATES.map((state) => [state, set.get(REGISTRY_METRICS.instanceCount, { state })]));
  }

  /** Staleness markers for the heartbeats of instances no longer known (or known under another resource). */
  follow(state: RegistryState, time: number): MetricPoint[] {
    const markers: MetricPoint[] = [];
    for (const [id, series] of this.heartbeats) {
      const known = state.instances.get(id);
      if (known !== undefined && instanceResource(known.instance).identity === series.resource.identity) continue;
      markers.push(staleMarker(series, time));
      this.heartbeats.delete(id);
    }
    return markers;
  }

  /** One collection: nothing before the first complete read ("not read yet" is not "empty"). */
  collect(state: RegistryState, time: number): MetricPoint[] {
    if (!state.read) return [];
    const valid = state.stale ? 0 : state.instances.size;
    const stale = state.stale ? state.instances.size : 0;
    const values: Record<InstanceState, number> = { valid, stale, invalid: state.invalidCount };
    const points: MetricPoint[] = INSTANCE_STATES.map((name) => ({ series: this.counts.get(name)!, value: values[name], time }));
    for (const [id, known] of state.instances) {
      points.push({ series: this.heartbeatOf(id, known.instance), value: Math.max(0, time - known.seenAt) / 1000, time });
    }
    return points;
  }

  private heartbeatOf(id: string, instance: ServiceInstance): Series {
    let series = this.heartbeats.get(id);
    if (series === undefined) {
      series = new SeriesSet(instanceResource(instance)).get(REGISTRY_METRICS.heartbeatAge);
      this.heartbeats.set(id, series);
    }
    return series;
  }
}
