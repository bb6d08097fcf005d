import { Resource } from '../../src/index.js';
import type { AttributeValue } from '../../src/index.js';
import { checkedThing, type HealthTarget } from './targets.js';

/**
 * The resource of a target's points: its labels, then `service.name` and a
 * `service.instance.id` that stays the same across restarts — the discovered instance's id,
 * else what is checked (a URL without credentials, host:port, the command line, with the
 * target's secrets blanked). Labels go first so they cannot overwrite the identity.
 */
export function targetResource(target: HealthTarget, redact: (text: string) => string): Resource {
  const attributes: Record<string, AttributeValue> = { ...target.labels };
  attributes['service.name'] = target.service;
  attributes['service.instance.id'] = target.instanceId ?? redact(checkedThing(target.spec));
  return new Resource(attributes);
}
