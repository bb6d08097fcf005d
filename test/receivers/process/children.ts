import { spawn, type ChildProcess } from 'node:child_process';

const started: ChildProcess[] = [];

/** A real process to watch: a Node process that idles, or spins when `busy`; `args` follow the script (a marker to match). */
export async function startChild(options: { busy?: boolean; args?: readonly string[] } = {}): Promise<number> {
  const script = options.busy === true ? 'for (;;) {}' : 'setInterval(() => {}, 1000)';
  // After -e, node reads options until `--`: the marker arguments go after it.
  return startProgram(process.execPath, ['-e', script, ...(options.args === undefined ? [] : ['--', ...options.args])]);
}

/** Any program as a child, stopped with the others. */
export async function startProgram(path: string, args: readonly string[]): Promise<number> {
  const child = spawn(path, args, { stdio: 'ignore' });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child.pid!;
}

/** Stops one child by its PID and waits until it is gone (reaped, so /proc forgets it). */
export async function stopChild(pid: number): Promise<void> {
  const child = started.find((candidate) => candidate.pid === pid);
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(pid, 'SIGKILL');
  await exited;
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all(started.splice(0).map(async (child) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }));
}
