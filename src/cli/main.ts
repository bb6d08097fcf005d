#!/usr/bin/env node
import { runCli } from './program.js';

/** Expected errors are printed by runCli with their code; what reaches here is a bug, so its stack is printed. */
function reportBug(error: unknown): number {
  process.stderr.write(`healthpipe: unexpected error (a bug; please report it):\n${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
}

// Exit explicitly: a stopped runtime must not linger on a handle some library left open.
// stdout and stderr are synchronous on Linux for files, pipes and terminals, so nothing is lost.
process.exit(await runCli(process.argv).catch(reportBug));
