import type { ScheduledTarget, ServiceInstance } from '../../src/index.js';
import type { ExecCheckConfig, HealthCheckTargetConfig, TcpCheckConfig } from './config.js';
import { httpCheckSchema, type HttpCheckConfig } from './http/index.js';

/** What a target checks: exactly one kind with its settings. */
export type CheckSpec =
  | { readonly kind: 'http'; readonly http: HttpCheckConfig }
  | { readonly kind: 'tcp'; readonly tcp: TcpCheckConfig }
  | { readonly kind: 'exec'; readonly exec: ExecCheckConfig };

/** One target in the shape the receiver schedules: from the config or from discovery. */
export interface HealthTarget extends ScheduledTarget {
  readonly service: string;
  /** The discovered instance's id; undefined for a configured target, whose id is what it checks. */
  readonly instanceId: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: CheckSpec;
}

function specOf(config: HealthCheckTargetConfig): CheckSpec {
  if (config.http !== undefined) return { kind: 'http', http: config.http };
  if (config.tcp !== undefined) return { kind: 'tcp', tcp: config.tcp };
  // The schema guarantees exactly one kind, so this is exec.
  return { kind: 'exec', exec: config.exec! };
}

/** A URL with its user-info removed; an unparsable one keeps only what precedes any `@`. */
export function urlWithoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    const at = url.lastIndexOf('@');
    return at === -1 ? url : url.slice(at + 1);
  }
}

/** `host:port`, with an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What the check looks at, as people say it: the URL without credentials, host:port, the command line. */
export function checkedThing(spec: CheckSpec): string {
  switch (spec.kind) {
    case 'http':
      return urlWithoutCredentials(spec.http.url);
    case 'tcp':
      return hostPort(spec.tcp.host, spec.tcp.port);
    case 'exec':
      return spec.exec.command.join(' ');
  }
}

/**
 * The configured targets. The key holds the index (two identical entries stay apart) and
 * what is checked, so a target whose check changes is a new target with a new check.
 */
export function staticTargets(configs: readonly HealthCheckTargetConfig[]): HealthTarget[] {
  return configs.map((config, index) => {
    const spec = specOf(config);
    return {
      key: `targets[${index}] ${config.service} ${spec.kind} ${checkedThing(spec)}`,
      service: config.service,
      instanceId: undefined,
      labels: config.labels,
      spec,
      ...(config.collection_interval === undefined ? {} : { interval: config.collection_interval }),
      ...(config.timeout === undefined ? {} : { timeout: config.timeout }),
    };
  });
}

/** A discovered instance's check: its health URL over HTTP, else its host and port over TCP. */
function fromInstance(instance: ServiceInstance): HealthTarget | undefined {
  let spec: CheckSpec;
  if (instance.healthUrl !== undefined) {
    // The http check's defaults for everything but the URL; a URL it refuses is not checked.
    const http = httpCheckSchema.safeParse({ url: instance.healthUrl });
    if (!http.success) return undefined;
    spec = { kind: 'http', http: http.data };
  } else if (instance.host !== undefined && instance.port !== undefined) spec = { kind: 'tcp', tcp: { host: instance.host, port: instance.port } };
  else return undefined;
  return {
    key: `instance ${instance.id} ${spec.kind} ${checkedThing(spec)}`,
    service: instance.service,
    instanceId: instance.id,
    labels: instance.labels,
    spec,
  };
}

/** Discovered instances this receiver can check: those with a health URL or a host and port. */
export function discoveredTargets(instances: readonly ServiceInstance[]): HealthTarget[] {
  const targets: HealthTarget[] = [];
  for (const instance of instances) {
    const target = fromInstance(instance);
    if (target !== undefined) targets.push(target);
  }
  return targets;
}
