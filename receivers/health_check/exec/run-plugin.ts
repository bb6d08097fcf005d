import { spawn } from 'node:child_process';
import { BoundedOutput } from './bounded-output.js';

export interface PluginRunOptions {
  /** argv: the program, then its arguments. Never a shell. */
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal: AbortSignal;
  /** Bytes kept of stdout, and of stderr; the rest is read and dropped. */
  readonly maxOutputBytes: number;
  /** After SIGTERM at the timeout, how long the process group has before SIGKILL. */
  readonly killGraceMs: number;
}

export type PluginRun =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string }
  /** The program could not be started: ENOENT, EACCES, a missing cwd. */
  | { readonly kind: 'not_started'; readonly code: string }
  /** The signal aborted it; its process group has been told to stop. */
  | { readonly kind: 'aborted' };

/** Signals a whole process group; one that is gone already is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group. EPERM: a member changed user; nothing we can do.
  }
}

/** Live process groups of running plugins, so that `killAll` can end them at close. */
export type RunningGroups = Set<number>;

/**
 * Runs one plugin in its own process group (`detached`), so that at the timeout the plugin
 * and everything it started get SIGTERM, then SIGKILL `killGraceMs` later. When the plugin
 * exits by itself, whatever it left running in its group is killed too: an orphan would
 * hold the output pipes open and outlive the check. Resolves for every outcome.
 */
export function runPlugin(options: PluginRunOptions, groups: RunningGroups): Promise<PluginRun> {
  const [program, ...args] = options.command;
  return new Promise<PluginRun>((resolve) => {
    if (options.signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    const child = spawn(program!, args, {
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env,
      cwd: options.cwd,
      windowsHide: true,
    });
    const pid = child.pid;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const settle = (run: PluginRun): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      resolve(run);
    };
    const onAbort = (): void => {
      if (pid !== undefined) {
        signalGroup(pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.killGraceMs);
      }
      settle({ kind: 'aborted' });
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      settle({ kind: 'not_started', code: error.code ?? 'EUNKNOWN' });
    });
    if (pid === undefined) return;
    groups.add(pid);
    const stdout = new BoundedOutput(child.stdout, options.maxOutputBytes);
    const stderr = new BoundedOutput(child.stderr, options.maxOutputBytes);
    child.once('exit', () => {
      // The plugin is gone: its group's leftovers go with it, at once.
      signalGroup(pid, 'SIGKILL');
      if (killTimer !== undefined) clearTimeout(killTimer);
      groups.delete(pid);
    });
    child.once('close', (code, signal) => {
      settle({ kind: 'exited', code, signal, stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

/** Ends every plugin still running (the receiver stops or the target leaves). */
export function killAll(groups: RunningGroups): void {
  for (const pid of groups) signalGroup(pid, 'SIGKILL');
  groups.clear();
}
