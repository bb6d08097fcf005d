import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../helpers/components.js';

/** Whether etcd3 (a CommonJS package) is in Node's module cache after running `script` in a fresh Node. */
function etcd3LoadedAfter(script: string): boolean {
  const probe = `${script}
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
process.stdout.write(String(Object.keys(cache).some((file) => file.includes('/node_modules/etcd3/'))));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: repoRoot, encoding: 'utf8' }) === 'true';
}

describe('the etcd client', () => {
  it('is not loaded with the built-ins, only when an etcd source is followed', () => {
    expect(etcd3LoadedAfter(`await import('./dist/src/builtins.js');`)).toBe(false);
    expect(etcd3LoadedAfter(`await import('./dist/receivers/registry/etcd/prefix-follower.js');`)).toBe(true);
  }, 30_000);
});
