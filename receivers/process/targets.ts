import type { ServiceInstance } from '../../src/index.js';
import { regexProblem, type ProcessTargetConfig } from './config.js';

export type ProcessSelector =
  | { readonly kind: 'self' }
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'pid_file'; readonly path: string }
  | { readonly kind: 'executable'; readonly name: string }
  | { readonly kind: 'command_line'; readonly pattern: RegExp }
  | { readonly kind: 'port'; readonly port: number }
  | { readonly kind: 'cgroup'; readonly path: string }
  | { readonly kind: 'unit'; readonly unit: string };

/** A selector that finds its processes among all others, each process its own instance. */
export type MatchingSelector = Extract<ProcessSelector, { kind: 'executable' | 'command_line' | 'port' | 'cgroup' | 'unit' }>;

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
   * False for a selector that names one process (`self`, `pid`, `pid_file`): the target is
   * one instance, and its process's PID and start time are volatile, so a restarted service
   * keeps its series. True for a selector that matches processes (executable, command line,
   * port, cgroup, unit): each process is its own instance, identified by PID and start time,
   * and one that ends or stops matching is an instance that left (its series get stale markers).
   */
  readonly eachProcessIsAnInstance: boolean;
  /** For a matching selector: leave the pipeline's own process out (pgrep's rule). */
  readonly excludeSelf: boolean;
}

export function isMatching(selector: ProcessSelector): selector is MatchingSelector {
  switch (selector.kind) {
    case 'self':
    case 'pid':
    case 'pid_file':
      return false;
    default:
      return true;
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
    case 'executable':
      return `executable ${selector.name}`;
    case 'command_line':
      return `command_line ${selector.pattern.source}`;
    case 'port':
      return `port ${selector.port}`;
    case 'cgroup':
      return `cgroup ${selector.path}`;
    case 'unit':
      return `unit ${selector.unit}`;
  }
}

/** A configured target as the schema gives it; `exclude_self` may be left out (true). */
export type ConfiguredTarget = Omit<ProcessTargetConfig, 'exclude_self'> & { readonly exclude_self?: boolean };

/** The one selector the schema let through. */
function selectorOf(config: ConfiguredTarget): ProcessSelector {
  if (config.self === true) return { kind: 'self' };
  if (config.pid !== undefined) return { kind: 'pid', pid: config.pid };
  if (config.executable !== undefined) return { kind: 'executable', name: config.executable };
  if (config.command_line !== undefined) return { kind: 'command_line', pattern: new RegExp(config.command_line) };
  if (config.port !== undefined) return { kind: 'port', port: config.port };
  if (config.cgroup !== undefined) return { kind: 'cgroup', path: config.cgroup };
  if (config.unit !== undefined) return { kind: 'unit', unit: config.unit };
  return { kind: 'pid_file', path: config.pid_file ?? '' };
}

/** The configured targets; the index in the key keeps two identical entries apart. */
export function staticTargets(configs: readonly ConfiguredTarget[]): ProcessTarget[] {
  return configs.map((config, index) => {
    const selector = selectorOf(config);
    return {
      key: `targets[${index}] ${config.service} ${describeSelector(selector)}`,
      service: config.service,
      instanceId: undefined,
      selector,
      labels: config.labels,
      eachProcessIsAnInstance: isMatching(selector),
      excludeSelf: config.exclude_self ?? true,
    };
  });
}

/** An instance that names a command line which is not a regular expression: skipped, and said why. */
export type InvalidInstance = (instance: ServiceInstance, problem: string) => void;

/** The most precise selector an instance carries: PID, PID file, command line, executable, in that order. */
function instanceSelector(instance: ServiceInstance, onInvalid: InvalidInstance): ProcessSelector | undefined {
  if (instance.pid !== undefined) return { kind: 'pid', pid: instance.pid };
  if (instance.pidFile !== undefined) return { kind: 'pid_file', path: instance.pidFile };
  if (instance.commandLine !== undefined) {
    const problem = regexProblem(instance.commandLine);
    if (problem === undefined) return { kind: 'command_line', pattern: new RegExp(instance.commandLine) };
    onInvalid(instance, `command_line: ${problem}`);
    return undefined;
  }
  if (instance.executable !== undefined) return { kind: 'executable', name: instance.executable };
  return undefined;
}

/**
 * Discovered instances this receiver can watch: those with a PID, a PID file, a command
 * line or an executable. The key holds the selector, so an instance whose selector changes
 * is a target that left and another that came.
 */
export function discoveredTargets(instances: readonly ServiceInstance[], onInvalid: InvalidInstance = () => {}): ProcessTarget[] {
  const targets: ProcessTarget[] = [];
  for (const instance of instances) {
    const selector = instanceSelector(instance, onInvalid);
    if (selector === undefined) continue;
    targets.push({
      key: `instance ${instance.source} ${instance.id} ${describeSelector(selector)}`,
      service: instance.service,
      instanceId: instance.id,
      selector,
      labels: instance.labels,
      eachProcessIsAnInstance: isMatching(selector),
      excludeSelf: true,
    });
  }
  return targets;
}
