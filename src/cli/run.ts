import { HealthpipeError } from '../errors.js';
import { Runtime, type RuntimeOptions } from '../runtime/runtime.js';
import { JsonLogger } from '../telemetry/logger.js';
import type { RunConfigChoice } from './config-choice.js';
import { printProblems } from './problems.js';

/** Exit code when a second signal cuts the shutdown short. */
const EXIT_INTERRUPTED = 130;

/** What `run` needs of a started runtime; tests hand in a double. */
export type RunningAgent = Pick<Runtime, 'stop' | 'reload' | 'configuration'>;

export interface RunDependencies {
  readonly start?: (options: RuntimeOptions) => Promise<RunningAgent>;
}

/**
 * `healthpipe run`: starts the runtime and wires the signals. SIGINT/SIGTERM stop with a
 * flush (exit 0, or 1 when the deadline cut it short or the stop itself failed); a second
 * one exits at once; SIGHUP reloads the files and keeps the running pipeline when they are
 * bad. Every promise has a handler: a failure is logged with its reason, never left to
 * Node's unhandled-rejection crash.
 */
export async function runCommand(choice: RunConfigChoice, dependencies: RunDependencies = {}): Promise<number> {
  const start = dependencies.start ?? ((options) => Runtime.start(options));
  // The runtime logs with the configuration's level and secrets; this one speaks for the CLI around it.
  let secrets: ReadonlySet<string> = new Set();
  const logger = new JsonLogger({ level: 'info', now: () => Date.now(), secrets: () => secrets });
  if (choice.embedded !== undefined) {
    logger.info(`no pipeline.yaml here: running the embedded default ${choice.embedded.file}`, {
      data_dir: choice.embedded.dataDir,
    });
  }
  // Signals are wired before the start: a SIGHUP right after "healthpipe started" would
  // otherwise meet Node's default action and kill the agent. What arrives while starting
  // waits for the start to finish.
  let runtime: RunningAgent | undefined;
  let stopping = false;
  let reloadPending = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const stopNow = (agent: RunningAgent): void => {
    agent
      .stop()
      .then(
        (flushed) => (flushed ? 0 : 1),
        (error: unknown) => {
          logger.error('healthpipe could not stop cleanly', { error });
          return 1;
        },
      )
      .then((code) => {
        unwire();
        finish(code);
      });
  };
  const reloadNow = (agent: RunningAgent): void => {
    agent.reload().catch((error: unknown) => logger.error('reload failed', { error }));
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // process.exit joins libuv's threads, so a read parked in one would hold this exit
      // too: every file an operator names is opened non-blocking (src/io/bounded-read.ts).
      process.stderr.write(`healthpipe: ${signal} again, exiting without flushing\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    stopping = true;
    if (runtime !== undefined) stopNow(runtime);
  };
  const reload = (): void => {
    if (stopping) return;
    if (runtime === undefined) reloadPending = true;
    else reloadNow(runtime);
  };
  const listeners = [
    ['SIGINT', stop],
    ['SIGTERM', stop],
    ['SIGHUP', reload],
  ] as const;
  const unwire = (): void => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
  for (const [signal, listener] of listeners) process.on(signal, listener);

  try {
    runtime = await start({
      files: choice.files,
      ...(choice.embedded === undefined ? {} : { dataDir: choice.embedded.dataDir }),
    });
  } catch (error) {
    unwire();
    if (!(error instanceof HealthpipeError) || error.problems === undefined) throw error;
    printProblems(choice.files, error.problems, error.code);
    return 2;
  }
  secrets = runtime.configuration.secrets;
  if (stopping) stopNow(runtime);
  else if (reloadPending) reloadNow(runtime);
  return finished;
}
