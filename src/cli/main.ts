#!/usr/bin/env node
import { runCli } from './program.js';

// Exit explicitly: a stopped runtime must not linger on a handle some library left open.
// stdout and stderr are synchronous on Linux for files, pipes and terminals, so nothing is lost.
process.exit(await runCli(process.argv));
