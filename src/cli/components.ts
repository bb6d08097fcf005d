import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { renderComponentsText, renderOptionsTable, renderServiceText, updateReadme } from '../docs/index.js';
import { KIND_SECTIONS, type AnyFactory } from '../component/types.js';
import { builtinRegistry } from '../builtins.js';
import type { ComponentRegistry } from '../component/registry.js';
import { SelfTelemetry } from '../telemetry/self-telemetry.js';
import { formatProblem, pluginSpecifiersFromSources, readConfigSources } from '../config/index.js';
import { serviceSchema } from '../config/schema.js';
import { loadPlugins } from '../plugins/loader.js';

/** The built-ins, made only to be described: their telemetry is never read. */
function builtinsToDescribe(): ComponentRegistry {
  return builtinRegistry(new SelfTelemetry('docs'));
}

/** The README of a built-in component: `receivers/health_check/README.md` for `health_check` (the folder is the type). */
export function readmePath(factory: AnyFactory): string {
  const folder = `${KIND_SECTIONS[factory.kind]}/${factory.type}`;
  return join(packageRoot(), folder, 'README.md');
}

/**
 * `healthpipe components [--config FILE …]`: every type with its options, from the schemas,
 * and the `service:` settings. With configuration files, the types of the plugins they
 * name too (the rest of the files need not be valid: this is where one looks up options).
 */
export async function componentsCommand(files: readonly string[] = []): Promise<number> {
  const registry = builtinsToDescribe();
  if (files.length > 0) {
    const read = await readConfigSources(files);
    const plugins = read.ok ? pluginSpecifiersFromSources(read.sources) : read;
    if (!plugins.ok) {
      process.stderr.write(`${plugins.problems.map(formatProblem).join('\n')}\n`);
      return 2;
    }
    await loadPlugins(plugins.plugins, registry, { from: plugins.directory });
  }
  process.stdout.write(`${renderComponentsText(registry.all())}\n${renderServiceText(serviceSchema)}`);
  return 0;
}

/** Rewrites (or, with `check`, compares) the option tables in the built-ins' READMEs. */
export function docsCommand(check: boolean): number {
  let stale = 0;
  for (const factory of builtinsToDescribe().all()) {
    const path = readmePath(factory);
    if (!existsSync(path)) {
      process.stderr.write(`missing README for ${factory.kind} ${factory.type}: ${path}\n`);
      stale += 1;
      continue;
    }
    const current = readFileSync(path, 'utf8');
    const updated = updateReadme(current, renderOptionsTable(factory));
    if (updated === current) continue;
    stale += 1;
    if (check) process.stderr.write(`out of date: ${path} (run npm run docs)\n`);
    else writeFileSync(path, updated);
  }
  return check && stale > 0 ? 1 : 0;
}
