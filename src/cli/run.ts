import { Runtime } from '../runtime/runtime.js';

/** Exit code when a second signal cuts the shutdown short. */
const EXIT_INTERRUPTED = 130;

/**
 * `healthpipe run`: starts the runtime and wires the signals. SIGINT/SIGTERM stop with a
 * flush (exit 0, or 1 when the deadline cut it short); a second one exits at once;
 * SIGHUP reloads the files and keeps the running pipeline when they are bad.
 */
export async function runCommand(files: string[]): Promise<number> {
  const runtime = await Runtime.start({ files });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // process.exit joins libuv's threads, so a read parked in one would hold this exit
        // too: every file an operator names is opened non-blocking (src/io/bounded-read.ts).
        process.stderr.write(`healthpipe: ${signal} again, exiting without flushing\n`);
        process.exit(EXIT_INTERRUPTED);
      }
      stopping = true;
      void runtime.stop().then((finished) => {
        process.off('SIGHUP', reload);
        resolve(finished ? 0 : 1);
      });
    };
    const reload = (): void => {
      if (!stopping) void runtime.reload().catch((error: unknown) => process.stderr.write(`healthpipe: reload failed: ${String(error)}\n`));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', reload);
  });
}
