import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';

// A built-in component is written as a plugin is: it imports only the package's public API
// (src/index.ts), so a user who copies its folder gets a start that builds against the
// installed package. After a merge that adds deep imports, `public-imports.mjs` rewrites them.

const ROOT = packageRoot();
const COMPONENT_DIRS = ['receivers', 'processors', 'exporters', 'extensions'];
const PUBLIC_API = join(ROOT, 'src', 'index.js');

function tsFilesUnder(dir: string): string[] {
  // A kind may have no built-in yet.
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The component folder a file sits in: `<root>/receivers/process`. */
function componentOf(file: string): string | undefined {
  const parts = relative(ROOT, file).split(sep);
  return COMPONENT_DIRS.includes(parts[0]!) && parts.length > 2 ? join(ROOT, parts[0]!, parts[1]!) : undefined;
}

/** Comments blanked, line breaks kept, so a commented-out import is none and lines still count. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`.
const MODULE_REFERENCE = /\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*(['"])([^'"\n]+)\3|\bimport\s*\(?\s*(['"])([^'"\n]+)\5/g;

/** Every import in `text` (of `file`) a plugin could not write, as `path:line: why`. */
function forbiddenImports(file: string, text: string): string[] {
  const code = withoutComments(text);
  const component = componentOf(file);
  const found: string[] = [];
  for (const match of code.matchAll(MODULE_REFERENCE)) {
    const specifier = match[4] ?? match[6]!;
    const typeOnly = match[2] !== undefined;
    const where = `${relative(ROOT, file)}:${code.slice(0, match.index).split('\n').length}`;
    if (specifier === 'zod' && !typeOnly) {
      found.push(`${where}: imports zod itself; a plugin gets z from the public API ('healthpipe')`);
      continue;
    }
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    if (target.startsWith(join(ROOT, 'src') + sep) && target !== PUBLIC_API) {
      found.push(`${where}: imports ${specifier}, a path into src/ other than src/index.js`);
    } else if (component !== undefined && !target.startsWith(component + sep) && target !== PUBLIC_API) {
      found.push(`${where}: imports ${specifier}, outside its own component folder`);
    }
  }
  return found;
}

describe('the built-in components', () => {
  const files = COMPONENT_DIRS.flatMap((dir) => tsFilesUnder(join(ROOT, dir)));

  it('import nothing of the core but its public API, and nothing of another component', () => {
    expect(files.length).toBeGreaterThan(50);
    const forbidden = files.flatMap((file) => forbiddenImports(file, readFileSync(file, 'utf8')));
    expect(forbidden, `run: node public-imports.mjs ${ROOT}\n${forbidden.join('\n')}`).toEqual([]);
  });

  it('export from their folder their factory and, as types only, its config', async () => {
    const indexes = files.filter((file) => file.endsWith(`${sep}index.ts`) && componentOf(file) === dirname(file));
    expect(indexes.length).toBeGreaterThanOrEqual(10);
    const internals: string[] = [];
    for (const index of indexes) {
      const module = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        const factory = value as { kind?: unknown; create?: unknown } | null;
        const isFactory = typeof factory === 'object' && factory !== null && typeof factory.create === 'function' && typeof factory.kind === 'string';
        // The internal receiver's factory is made per runtime (it reads that runtime's telemetry).
        const makesFactory = typeof value === 'function' && /^create\w*Factory$/.test(name);
        if (!isFactory && !makesFactory) internals.push(`${relative(ROOT, index)}: ${name}`);
      }
    }
    expect(internals, 'tests import internals from their own files, not from the folder').toEqual([]);
  });
});

describe('the check itself', () => {
  const file = join(ROOT, 'receivers', 'example', 'receiver.ts');

  it('names the file and line of each import a plugin could not write', () => {
    const text = [
      "import { defineReceiver } from '../../src/index.js';",
      "import type { MetricPoint } from '../../src/model/point.js';",
      '// import { hidden } from "../../src/graph/index.js";',
      "import { z } from 'zod';",
      "import type { ZodType } from 'zod';",
      "import { pointLine } from '../../exporters/console/json.js';",
      "export { thing } from './thing.js';",
      "const later = await import('../../src/config/load.js');",
    ].join('\n');
    expect(forbiddenImports(file, text)).toEqual([
      'receivers/example/receiver.ts:2: imports ../../src/model/point.js, a path into src/ other than src/index.js',
      "receivers/example/receiver.ts:4: imports zod itself; a plugin gets z from the public API ('healthpipe')",
      'receivers/example/receiver.ts:6: imports ../../exporters/console/json.js, outside its own component folder',
      'receivers/example/receiver.ts:8: imports ../../src/config/load.js, a path into src/ other than src/index.js',
    ]);
  });
});
