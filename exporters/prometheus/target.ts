import type { Resource } from '../../src/index.js';

/** Resource attributes that become `job` and `instance` instead of `target_info` labels. */
export const IDENTIFYING = ['service.name', 'service.namespace', 'service.instance.id'];

/**
 * `job` and `instance` of a resource, as OpenTelemetry's Prometheus compatibility says:
 * job = `service.namespace/service.name` (or the name alone), instance = `service.instance.id`;
 * a label whose attribute is missing is left out.
 */
export function targetLabels(resource: Resource): Map<string, string> {
  const labels = new Map<string, string>();
  const attributes = resource.attributes;
  const name = attributes['service.name'];
  const namespace = attributes['service.namespace'];
  if (name !== undefined) labels.set('job', namespace === undefined ? String(name) : `${String(namespace)}/${String(name)}`);
  const instance = attributes['service.instance.id'];
  if (instance !== undefined) labels.set('instance', String(instance));
  return labels;
}

/** The resource's attributes less those that make `job` and `instance`: the labels of its `target_info`. */
export function targetInfoAttributes(resource: Resource): Record<string, string | number | boolean> {
  const rest: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(resource.attributes)) if (!IDENTIFYING.includes(name)) rest[name] = value;
  return rest;
}
