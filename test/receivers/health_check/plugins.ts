import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder for the test's own plugins: shell scripts, run as argv like any plugin. */
export function pluginFolder(): string {
  return mkdtempSync(join(tmpdir(), 'healthpipe-plugins-'));
}

/** Writes an executable `#!/bin/sh` plugin and returns its path. */
export function writePlugin(folder: string, name: string, body: string, mode = 0o755): string {
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

/** Alive and not a zombie: an orphan reparented to a PID 1 that does not reap stays a zombie, dead all the same. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `test` every 20ms until it holds or `timeoutMs` passes (real processes take real time). */
export async function eventually(test: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The PID a plugin wrote to `file`, once it has. */
export async function pidIn(file: string): Promise<number> {
  await eventually(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'));
  return Number(readFileSync(file, 'utf8').trim());
}
