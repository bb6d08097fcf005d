import { register } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageFrom, type AgentPackages } from './agent-packages-hook.js';

/** Packages a plugin gets from the agent instead of bringing (or installing) its own. */
const SHARED_PACKAGES = ['healthpipe', 'rxjs'];

let registered = false;

/**
 * Registers the resolution hook once, before the first plugin is imported: from then on
 * `healthpipe` and `rxjs` resolve to the agent's own copies wherever a plugin sits, and
 * package plugins resolve from the configuration's directory.
 */
export function shareAgentPackages(): void {
  if (registered) return;
  registered = true;
  // Run from the TypeScript sources (the unit tests), there is no emitted hook and the
  // TypeScript runner resolves modules itself; the built agent always has the hook.
  if (import.meta.url.endsWith('.ts')) return;
  const data: AgentPackages = { agentURL: import.meta.url, shared: SHARED_PACKAGES };
  register(new URL('./agent-packages-hook.js', import.meta.url), { data });
}

/**
 * The file URL of a plugin: an absolute path as is, a package name resolved from
 * `directory` (node_modules there and upward), as an import written in a file of that
 * directory would. Throws Node's error (ERR_MODULE_NOT_FOUND, …) when it cannot be found.
 */
export function resolvePlugin(specifier: string, directory: string): string {
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  const directoryURL = pathToFileURL(directory).href.replace(/\/?$/, '/');
  return import.meta.resolve(packageFrom(specifier, directoryURL));
}
