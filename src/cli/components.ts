import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { renderComponentsText, renderOptionsTable, updateReadme } from '../docs/index.js';
import { KIND_SECTIONS, type AnyFactory } from '../component/types.js';
import { builtinRegistry } from '../builtins.js';
import { SelfTelemetry } from '../telemetry/self-telemetry.js';

function builtinFactories(): AnyFactory[] {
  return builtinRegistry(new SelfTelemetry('docs')).all();
}

/** The README of a built-in component: `receivers/health-check/README.md` for `health_check`. */
export function readmePath(factory: AnyFactory): string {
  const folder = `${KIND_SECTIONS[factory.kind]}/${factory.type.replaceAll('_', '-')}`;
  return join(packageRoot(), folder, 'README.md');
}

/** `healthpipe components`: every type with its options, from the schemas. */
export function componentsCommand(): number {
  process.stdout.write(renderComponentsText(builtinFactories()));
  return 0;
}

/** Rewrites (or, with `check`, compares) the option tables in the built-ins' READMEs. */
export function docsCommand(check: boolean): number {
  let stale = 0;
  for (const factory of builtinFactories()) {
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
