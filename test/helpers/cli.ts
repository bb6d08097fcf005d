import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** The built bin, as `npm install` leaves it (`pretest` builds it). */
export const CLI = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  readonly child: ChildProcess;
  readonly stdoutLines: string[];
  readonly stderrLines: string[];
  /** Resolves when a stdout or stderr line satisfies `test`; rejects after `timeoutMs`. */
  waitForLine(stream: 'stdout' | 'stderr', test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const listeners = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines[stream].push(...parts);
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdoutLines: lines.stdout,
    stderrLines: lines.stderr,
    exited,
    waitForLine(stream, test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const check = (): void => {
          const list = lines[stream];
          for (; from < list.length; from += 1) {
            if (test(list[from]!)) {
              cleanup();
              resolve(list[from]!);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching ${stream} line in ${timeoutMs} ms; stderr:\n${lines.stderr.join('\n')}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          cleanup();
          reject(new Error(`exited with ${code} before a matching ${stream} line; stderr:\n${lines.stderr.join('\n')}`));
        });
        check();
      });
    },
  };
}

/** Runs the CLI to completion. */
export function runCliSync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
