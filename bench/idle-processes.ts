import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Idle processes started for a bench, stopped by PID when it ends. */
export interface IdleProcesses {
  shell: ChildProcess | undefined;
  readonly pids: number[];
}

/**
 * Starts `count` idle `sleep <seconds>` processes. One shell starts them all: a fork of the
 * small shell is cheaper than hundreds of spawns from Node, which copy this large process.
 * Every PID comes back on stdout. The sleep time also tells the sets of one run apart.
 */
export async function spawnIdle(count: number, seconds: number): Promise<IdleProcesses> {
  const started: IdleProcesses = { shell: undefined, pids: [] };
  const script = `i=0; while [ $i -lt ${count} ]; do sleep ${seconds} & echo $!; i=$((i+1)); done; wait`;
  const shell = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  started.shell = shell;
  let pending = '';
  try {
    await new Promise<void>((resolve, reject) => {
      shell.once('error', reject);
      shell.once('exit', () => reject(new Error(`the shell starting idle processes exited after ${started.pids.length} of ${count}`)));
      shell.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line !== '') started.pids.push(Number(line));
        if (started.pids.length >= count) resolve();
      });
    });
    await settled(started.pids);
  } catch (error) {
    stopAll(started);
    throw error;
  }
  return started;
}

/** Stops every idle process by its PID, then the shell that waits for them. */
export function stopAll(started: IdleProcesses): void {
  for (const pid of started.pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const shell = started.shell;
  if (shell?.pid !== undefined && shell.exitCode === null && shell.signalCode === null) shell.kill('SIGKILL');
}

/** Waits until every child has become `sleep` (the shell prints a PID before its exec is done). */
async function settled(pids: readonly number[]): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = pids.every((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'latin1') === 'sleep\n';
      } catch {
        return false;
      }
    });
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
