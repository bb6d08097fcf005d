import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyFactory } from '../component/types.js';
import type { ComponentRegistry } from '../component/registry.js';
import { HealthpipeError } from '../errors.js';

/** The plugin API this build serves. A plugin states the one it was written for. */
export const PLUGIN_API_VERSION = 1;

const KINDS = new Set(['receiver', 'processor', 'exporter']);

function problemsOf(factory: unknown): string[] {
  const candidate = factory as Partial<AnyFactory> | null;
  if (candidate === null || typeof candidate !== 'object') return ['is not an object'];
  const problems: string[] = [];
  if (!KINDS.has(String(candidate.kind))) problems.push('has no kind: build it with defineReceiver/defineProcessor/defineExporter');
  if (typeof candidate.type !== 'string') problems.push('has no type');
  if (typeof (candidate.schema as { safeParse?: unknown } | undefined)?.safeParse !== 'function') problems.push('has no zod schema');
  if (typeof candidate.create !== 'function') problems.push('has no create()');
  return problems;
}

/**
 * Imports each plugin and registers its components. A plugin exports `apiVersion` and
 * `components` (factories made with the define* helpers). Every failure names the plugin.
 */
export async function loadPlugins(specifiers: readonly string[], registry: ComponentRegistry): Promise<void> {
  for (const specifier of specifiers) {
    const target = isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier;
    let module: { apiVersion?: unknown; components?: unknown };
    try {
      module = (await import(target)) as typeof module;
    } catch (error) {
      throw new HealthpipeError('PLUGIN_LOAD', `plugin ${specifier} could not be loaded: ${(error as Error).message}`, {
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
