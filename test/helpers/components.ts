import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/**
 * Programs from Debian's packages that component tests run (DESIGN.md section 5), fetched by
 * scripts/test-components.sh into the project's cache. A missing program fails the test with
 * the way to get it: a test that skips silently would hide an untested component.
 */

/** Found from package.json, so the same code works from `test/` (vitest) and `dist/test/` (the benches). */
export const repoRoot = packageRoot();
export const componentsScript = join(repoRoot, 'scripts/test-components.sh');
const listFile = join(repoRoot, 'scripts/test-components.list');

/** Where the script unpacks packages; the same override as the script's. */
export function componentsRoot(): string {
  const cache = process.env['HEALTHPIPE_TEST_COMPONENTS'] ?? join(repoRoot, '.cache/test-components');
  return join(resolve(cache), 'root');
}

/**
 * The absolute path of a program, such as 'usr/lib/nagios/plugins/check_tcp': from the
 * cache, else from a system-wide install of the same package.
 */
export function requireComponent(relPath: string): string {
  const candidates = [join(componentsRoot(), relPath), join('/', relPath)];
  const found = candidates.find(isExecutable);
  if (found !== undefined) return found;
  throw new Error(missingMessage(relPath, candidates));
}

/**
 * The environment to run a cached program in: libraries the script unpacked next to it
 * (those this machine lacks) are searched before the system's.
 */
export function componentEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const root = componentsRoot();
  const folders = ['lib', 'usr/lib'].flatMap((lib) => {
    const dir = join(root, lib);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith('-linux-gnu'))
      .map((name) => join(dir, name));
  });
  if (folders.length === 0) return { ...base };
  const inherited = base['LD_LIBRARY_PATH'];
  return { ...base, LD_LIBRARY_PATH: [...folders, ...(inherited ? [inherited] : [])].join(':') };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The list entry (`suite package path`) that provides a program, if any. */
function listEntry(relPath: string): { suite: string; pkg: string } | undefined {
  const text = existsSync(listFile) ? readFileSync(listFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [suite, pkg, path] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (suite !== undefined && pkg !== undefined && path === relPath) return { suite, pkg };
  }
  return undefined;
}

function missingMessage(relPath: string, looked: string[]): string {
  const entry = listEntry(relPath);
  const where = `looked in ${looked.join(' and ')}`;
  if (entry === undefined) {
    return `test component ${relPath} not found (${where}): add a line "<suite> <package> ${relPath}" to scripts/test-components.list, then run: bash scripts/test-components.sh`;
  }
  return (
    `test component ${relPath} not found (${where}). Get it with: bash scripts/test-components.sh ` +
    `(fetches Debian ${entry.suite}'s ${entry.pkg} into the project's cache, no root needed), ` +
    `or install it system-wide: apt-get install ${entry.pkg}`
  );
}
