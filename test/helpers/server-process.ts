import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { componentEnv } from './components.js';

/**
 * Running a real server program in a test (Alertmanager, etcd): spawned with the cached
 * components' libraries, ready once its own probe says so, stopped by PID, and killed when
 * the test process exits whatever the test forgot.
 */

export interface ServerLaunch {
  /** For messages: 'Alertmanager', 'etcd'. */
  name: string;
  program: string;
  args: string[];
  cwd: string;
  /** One readiness probe (an HTTP GET, say); polled until it says true or the time is up. */
  isReady: () => Promise<boolean>;
  timeoutMs: number;
  /** Between two probes, in ms. */
  pollMs?: number;
}

const KILL_AFTER_MS = 5_000;
const STDERR_TAIL = 8_192;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts the process and resolves once `isReady` answers true; fails with its stderr's tail otherwise. */
export async function launchServer(launch: ServerLaunch): Promise<ChildProcess> {
  installExitHook();
  const child = spawn(launch.program, launch.args, {
    cwd: launch.cwd,
    env: componentEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    live.delete(child);
    exited = `exited with ${code ?? signal}`;
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const deadline = Date.now() + launch.timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError !== undefined) throw new Error(`cannot start ${launch.program}: ${spawnError.message}`);
    if (exited !== undefined) throw new Error(`${launch.name} ${exited} before it was ready:\n${stderr}`);
    if (await launch.isReady()) return child;
    await delay(launch.pollMs ?? 50);
  }
  await terminate(child);
  throw new Error(`${launch.name} not ready after ${launch.timeoutMs} ms:\n${stderr}`);
}

/** A server a test may stop and start again on the same ports and data (etcd, VictoriaMetrics). */
export interface RestartableServer {
  /** The PID of the running process (changes on restart()). */
  pid(): number;
  /** SIGTERM by PID, SIGKILL after a bound; removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the process only, keeping ports and data, so a test can start() it again. */
  halt(): Promise<void>;
  /** Starts a halted server again with the same arguments. */
  start(): Promise<void>;
  /** halt(), then `whileDown` if given, then start(). */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

/**
 * Launches a server and gives it halt/start/restart/stop: `launch` runs it (with its ports
 * and data fixed by the caller), `dir` is removed by stop().
 */
export async function startRestartable(name: string, dir: string, launch: () => Promise<ChildProcess>): Promise<RestartableServer> {
  let child: ChildProcess | undefined = await launch();
  let stopped = false;
  const halt = async (): Promise<void> => {
    if (child !== undefined) await terminate(child);
    child = undefined;
  };
  const start = async (): Promise<void> => {
    if (stopped) throw new Error(`start() after stop(): start a new ${name} instead`);
    if (child !== undefined) throw new Error(`${name} is already running`);
    child = await launch();
  };
  return {
    pid() {
      if (child?.pid === undefined) throw new Error(`${name} is not running`);
      return child.pid;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    halt,
    start,
    async restart(whileDown) {
      await halt();
      if (whileDown !== undefined) await whileDown();
      await start();
    },
  };
}

/** SIGTERM by PID; SIGKILL if it has not exited after a bound. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}

/** A port free a moment ago on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
        else resolve(address.port);
      });
    });
  });
}

/** A test that crashes or forgets to stop its server must not leave it behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
