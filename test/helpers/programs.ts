import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real programs for the end-to-end discovery tests to find: spawned as children of the test,
 * each tracked and stopped by its PID (SIGKILL) in afterEach, whatever the test left running.
 *
 *   const programs = new Programs();
 *   afterEach(() => programs.stopAll());
 *   const sleeper = programs.start('/bin/sleep', ['1000']);
 *   const renamed = programs.start(programs.copyOf('/bin/sleep', dir, 'hpsel1234'), ['1000']);
 *   await programs.stop(sleeper);
 */

const NS_LAST_PID = '/proc/sys/kernel/ns_last_pid';

export class Programs {
  private readonly live = new Set<ChildProcess>();

  /** Spawns `command` (argv, no shell), its output ignored. */
  start(command: string, args: readonly string[] = [], options: { cwd?: string } = {}): ChildProcess {
    const child = spawn(command, args, { cwd: options.cwd, stdio: 'ignore' });
    if (child.pid === undefined) throw new Error(`cannot start ${command}`);
    this.track(child);
    return child;
  }

  /**
   * A Node.js child running `script` (the source of a CommonJS program) with `args` after it
   * (`process.argv.slice(2)`), whose stdout lines are JSON, each passed to `onLine`.
   */
  startNode(script: string, args: readonly string[] = [], onLine: (line: unknown) => void = () => {}): ChildProcess {
    const child = spawn(process.execPath, ['-e', script, '--', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.pid === undefined) throw new Error('cannot start node');
    this.track(child);
    let rest = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line !== '') onLine(JSON.parse(line));
    });
    return child;
  }

  /**
   * A copy of the program at `path` named `name` in `dir`: a process of it has `name` as its
   * comm, so the `executable` selector can find it and nothing else on the machine.
   */
  copyOf(path: string, dir: string, name: string): string {
    const copy = join(dir, name);
    copyFileSync(path, copy);
    accessSync(copy, constants.X_OK);
    return copy;
  }

  /** SIGKILL by PID; resolves once it has exited (and been reaped, so its PID is free). */
  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((child) => this.stop(child)));
  }

  /**
   * Spawns `command` so that it gets the PID `pid` (which must be free): the kernel's next
   * PID is set through /proc/sys/kernel/ns_last_pid just before the fork. Other processes
   * of the machine may take the PID first; then the child is stopped and it is tried again.
   */
  async startWithPid(pid: number, command: string, args: readonly string[], attempts = 100): Promise<ChildProcess> {
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      writeFileSync(NS_LAST_PID, String(pid - 1));
      const child = this.start(command, args);
      if (child.pid === pid) return child;
      await this.stop(child);
    }
    throw new Error(`could not start ${command} as PID ${pid} in ${attempts} attempts`);
  }

  private track(child: ChildProcess): void {
    this.live.add(child);
    child.once('exit', () => this.live.delete(child));
    installExitHook(this.live);
  }
}

/**
 * Whether this test may choose the PID of the next process (root, or CAP_CHECKPOINT_RESTORE):
 * how a PID reused by another program is made to happen on demand, as on a busy machine it
 * happens by itself after the PID counter wraps.
 */
export function canChoosePids(): boolean {
  try {
    // Root passes any access() check: only a write tells. Writing the value it holds moves nothing.
    writeFileSync(NS_LAST_PID, readFileSync(NS_LAST_PID, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

const everyLive = new Set<Set<ChildProcess>>();

/** A test that fails or forgets to stop must not leave a program behind. */
function installExitHook(live: Set<ChildProcess>): void {
  if (everyLive.size === 0) {
    process.once('exit', () => {
      for (const set of everyLive) for (const child of set) child.kill('SIGKILL');
    });
  }
  everyLive.add(live);
}
