import { fileURLToPath } from 'node:url';
import { FACTORY_KINDS, type AnyFactory } from '../component/types.js';
import type { ComponentRegistry } from '../component/registry.js';
import { HealthpipeError } from '../errors.js';
import { resolvePlugin, shareAgentPackages } from './agent-packages.js';
import { describeLoadFailure } from './load-error.js';

/** The plugin API this build serves. A plugin states the one it was written for. */
export const PLUGIN_API_VERSION = 1;

const KINDS = new Set<string>(FACTORY_KINDS);

function problemsOf(factory: unknown): string[] {
  const candidate = factory as Partial<AnyFactory> | null;
  if (candidate === null || typeof candidate !== 'object') return ['is not an object'];
  const problems: string[] = [];
  if (!KINDS.has(String(candidate.kind))) problems.push('has no kind: build it with defineReceiver/defineProcessor/defineExporter/defineExtension');
  if (typeof candidate.type !== 'string') problems.push('has no type');
  if (typeof (candidate.schema as { safeParse?: unknown } | undefined)?.safeParse !== 'function') problems.push('has no zod schema');
  if (typeof candidate.create !== 'function') problems.push('has no create()');
  return problems;
}

export interface LoadPluginsOptions {
  /** Where package plugins are installed: node_modules of this directory and upward. */
  readonly from?: string;
}

/**
 * Imports each plugin and registers its components. A plugin exports `apiVersion` and
 * `components` (factories made with the define* helpers). Every failure names the plugin,
 * and where it is known, the file and line that failed.
 */
export async function loadPlugins(
  specifiers: readonly string[],
  registry: ComponentRegistry,
  options: LoadPluginsOptions = {},
): Promise<void> {
  if (specifiers.length > 0) shareAgentPackages();
  for (const specifier of specifiers) {
    let url: string;
    try {
      url = resolvePlugin(specifier, options.from ?? process.cwd());
    } catch (error) {
      throw new HealthpipeError('PLUGIN_LOAD', `plugin ${specifier} could not be found: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let module: { apiVersion?: unknown; components?: unknown };
    try {
      module = (await import(url)) as typeof module;
    } catch (error) {
      const file = url.startsWith('file:') ? fileURLToPath(url) : undefined;
      throw new HealthpipeError('PLUGIN_LOAD', `plugin ${specifier} could not be loaded: ${describeLoadFailure(error, file)}`, {
        cause: error,
      });
    }
    if (module.apiVersion !== PLUGIN_API_VERSION) {
      throw new HealthpipeError(
        'PLUGIN_INVALID',
        `plugin ${specifier} is written for plugin API ${String(module.apiVersion)}; this healthpipe serves API ${PLUGIN_API_VERSION} (export const apiVersion = ${PLUGIN_API_VERSION})`,
      );
    }
    if (!Array.isArray(module.components)) {
      throw new HealthpipeError('PLUGIN_INVALID', `plugin ${specifier} exports no components array`);
    }
    for (const factory of module.components) {
      const problems = problemsOf(factory);
      if (problems.length > 0) {
        const name = String((factory as { type?: unknown } | null)?.type ?? '?');
        throw new HealthpipeError('PLUGIN_INVALID', `plugin ${specifier}: component "${name}" ${problems.join(', ')}`);
      }
      registry.add(factory as AnyFactory, `plugin ${specifier}`);
    }
  }
}
