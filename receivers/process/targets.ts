import type { ServiceInstance } from '../../src/index.js';
import type { ProcessTargetConfig } from './config.js';

export type ProcessSelector =
  | { readonly kind: 'self' }
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'pid_file'; readonly path: string };

/** One process to watch, from the config or from discovery, in the shape the scraper uses. */
export interface ProcessTarget {
  /** Stable while the target stays in the set: keys the target's state and its log-once messages. */
  readonly key: string;
  readonly service: string;
  /** The discovered instance's id; static targets use `host:pid`. */
  readonly instanceId: string | undefined;
  readonly selector: ProcessSelector;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * False for a selector that names one process (`self`, `pid`, `pid_file`, later a unit):
   * the target is one instance, and its process's PID and start time are volatile, so a
   * restarted service keeps its series. True for a selector that matches several processes
   * (later: a command line): each process is its own instance, identified by PID and start
   * time, and one that ends is an instance that left.
   */
  readonly eachProcessIsAnInstance: boolean;
}

/** Whether a selector can match several processes at once (see `eachProcessIsAnInstance`). */
function matchesSeveral(selector: ProcessSelector): boolean {
  switch (selector.kind) {
    case 'self':
    case 'pid':
    case 'pid_file':
      return false;
  }
}

export function describeSelector(selector: ProcessSelector): string {
  switch (selector.kind) {
    case 'self':
      return 'self';
    case 'pid':
      return `pid ${selector.pid}`;
    case 'pid_file':
      return `pid_file ${selector.path}`;
  }
}

function selectorOf(config: ProcessTargetConfig): ProcessSelector {
  if (config.self === true) return { kind: 'self' };
  if (config.pid !== undefined) return { kind: 'pid', pid: config.pid };
  // The schema guarantees exactly one selector, so this is the pid file.
  return { kind: 'pid_file', path: config.pid_file ?? '' };
}

/** The configured targets; the index in the key keeps two identical entries apart. */
export function staticTargets(configs: readonly ProcessTargetConfig[]): ProcessTarget[] {
  return configs.map((config, index) => {
    const selector = selectorOf(config);
    return {
      key: `targets[${index}] ${config.service} ${describeSelector(selector)}`,
      service: config.service,
      instanceId: undefined,
      selector,
      labels: config.labels,
      eachProcessIsAnInstance: matchesSeveral(selector),
    };
  });
}

function fromInstance(instance: ServiceInstance): ProcessTarget | undefined {
  let selector: ProcessSelector;
  if (instance.pid !== undefined) selector = { kind: 'pid', pid: instance.pid };
  else if (instance.pidFile !== undefined) selector = { kind: 'pid_file', path: instance.pidFile };
  else return undefined;
  return {
    key: `instance ${instance.id}`,
    service: instance.service,
    instanceId: instance.id,
    selector,
    labels: instance.labels,
    eachProcessIsAnInstance: matchesSeveral(selector),
  };
}

/** Discovered instances this receiver can watch: those with a PID or a PID file. */
export function discoveredTargets(instances: readonly ServiceInstance[]): ProcessTarget[] {
  const targets: ProcessTarget[] = [];
  for (const instance of instances) {
    const target = fromInstance(instance);
    if (target !== undefined) targets.push(target);
  }
  return targets;
}
