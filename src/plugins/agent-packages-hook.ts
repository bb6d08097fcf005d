import type { InitializeHook, ResolveHook } from 'node:module';

/**
 * A module resolution hook (Node's customization hooks), registered by the plugin loader
 * before the first plugin is imported. It runs on Node's loader thread, so it imports
 * nothing at run time and keeps no state beside what `register()` hands it.
 *
 * It does two things:
 * - `healthpipe` and `rxjs` (with their subpaths: `rxjs/operators`) always resolve as if the
 *   agent itself imported them, wherever the importing plugin sits. A plugin in
 *   /etc/healthpipe/plugins has no node_modules around it, and a plugin package may carry
 *   its own rxjs: either way it gets the agent's one copy, so its observables, schedulers
 *   and define* helpers are the ones the agent checks and runs.
 * - `healthpipe-package:NAME?from=DIR` resolves the package NAME from the directory DIR (the
 *   configuration's), the way an import written in a file of DIR would.
 */
export interface AgentPackages {
  /** A module of the agent: shared packages resolve as if this module imported them. */
  readonly agentURL: string;
  /** Package names that always resolve to the agent's own copy. */
  readonly shared: readonly string[];
}

export const PACKAGE_FROM_SCHEME = 'healthpipe-package:';

/** The specifier the loader imports to load the package `name` as installed beside `directoryURL`. */
export function packageFrom(name: string, directoryURL: string): string {
  return `${PACKAGE_FROM_SCHEME}${encodeURIComponent(name)}?from=${encodeURIComponent(directoryURL)}`;
}

/** What to resolve instead, and from where; undefined to resolve as Node would. */
export function redirect(specifier: string, agent: AgentPackages): { specifier: string; parentURL: string } | undefined {
  if (specifier.startsWith(PACKAGE_FROM_SCHEME)) {
    const url = new URL(specifier);
    const from = url.searchParams.get('from');
    if (from === null) return undefined;
    return { specifier: decodeURIComponent(url.pathname), parentURL: from };
  }
  const name = barePackageName(specifier);
  return name !== undefined && agent.shared.includes(name) ? { specifier, parentURL: agent.agentURL } : undefined;
}

/** `rxjs` for `rxjs/operators`, `@scope/pkg` for `@scope/pkg/x`; undefined for paths and URLs. */
function barePackageName(specifier: string): string | undefined {
  if (/^[./#]/.test(specifier) || specifier.includes(':')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

let agent: AgentPackages = { agentURL: '', shared: [] };

export const initialize: InitializeHook<AgentPackages> = (data) => {
  agent = data;
};

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  const target = redirect(specifier, agent);
  return target === undefined
    ? nextResolve(specifier, context)
    : nextResolve(target.specifier, { ...context, parentURL: target.parentURL });
};
