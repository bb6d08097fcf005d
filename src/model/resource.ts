import { canonicalAttributes, type Attributes } from './attributes.js';

export interface ResourceOptions {
  /**
   * Attributes that describe the instance as it is now but do not identify it, because they
   * change when the same instance restarts: `process.pid`, `process.creation.time` of a
   * target that watches one process (a PID file, `self`, a unit). They stay on the resource,
   * so every point still shows them, and are left out of `identity` — and so out of every
   * series key and alert fingerprint. Names not among the attributes are ignored.
   *
   * A target that matches several processes makes each process its own instance: it passes
   * no `volatile`, and PID and start time identify.
   */
  readonly volatile?: readonly string[];
}

/**
 * The resource a point belongs to: the monitored service instance (OpenTelemetry's
 * resource). Created once per target and shared by all of its series.
 *
 * Its identity is its content, never the object: two Resources with the same identifying
 * attributes are the same instance, whether made by a receiver restarted by its hub, by a
 * reload, or for a new process of the same service. `new Resource({...})` without options
 * (a plugin's) is identified by all of its attributes.
 */
export class Resource {
  /** The identifying attributes: all of them, less the volatile ones. */
  readonly identifyingAttributes: Attributes;
  /**
   * The identifying attributes as canonical text (see `canonicalAttributes`): the key of
   * the instance in every per-instance state, and the resource's part of `Series.key`.
   */
  readonly identity: string;

  constructor(
    readonly attributes: Attributes,
    options: ResourceOptions = {},
  ) {
    this.identifyingAttributes = withoutKeys(attributes, options.volatile);
    this.identity = canonicalAttributes(this.identifyingAttributes);
  }

  /** The same as `identity`: the name every key of the model has. */
  get key(): string {
    return this.identity;
  }

  /**
   * The identity too; once a number from a counter, which changed on every restart.
   * @deprecated Use `identity`.
   */
  get id(): string {
    return this.identity;
  }

  /** True when `name` describes the instance but does not identify it. */
  isVolatile(name: string): boolean {
    return Object.hasOwn(this.attributes, name) && !Object.hasOwn(this.identifyingAttributes, name);
  }

  get serviceName(): string {
    return String(this.attributes['service.name'] ?? 'unknown_service');
  }
}

/** `attributes` itself when nothing is removed, so a plugin's resource holds one object. */
function withoutKeys(attributes: Attributes, removed: readonly string[] | undefined): Attributes {
  if (removed === undefined || !removed.some((name) => Object.hasOwn(attributes, name))) return attributes;
  const kept: Record<string, Attributes[string]> = {};
  for (const name of Object.keys(attributes)) if (!removed.includes(name)) kept[name] = attributes[name]!;
  return kept;
}
