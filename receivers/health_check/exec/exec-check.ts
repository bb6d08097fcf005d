import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Check, CheckResult } from '../check-result.js';
import type { ExecCheckConfig } from '../config.js';
import { exitVerdict } from './exit-status.js';
import { parsePluginOutput } from './plugin-output.js';
import { killAll, runPlugin, type PluginRun, type RunningGroups } from './run-plugin.js';

/** Bytes kept of a plugin's stdout and of its stderr; Nagios itself reads 8 KiB. */
export const MAX_PLUGIN_OUTPUT_BYTES = 64 * 1024;
/** How long a plugin cut at its timeout has to end after SIGTERM before its group gets SIGKILL. */
export const KILL_GRACE_MS = 500;

const START_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  EACCES: 'permission denied',
};

/**
 * The plugin's environment: PATH to find what it runs, `LC_ALL=C` so numbers print with a
 * decimal point, then the target's own. Nothing else of the agent's environment leaks in
 * (it may hold exporter tokens).
 */
export function pluginEnvironment(config: ExecCheckConfig): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', ...config.env };
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return (newline === -1 ? text : text.slice(0, newline)).trim();
}

/** Why a plugin could not start, in words; ENOENT may also mean the working directory is missing. */
function startFailure(code: string, cwd: string | undefined): string {
  if (code === 'ENOENT' && cwd !== undefined) return 'not found (the program or its cwd)';
  return START_FAILURES[code] ?? code;
}

function resultOf(run: PluginRun, program: string, cwd: string | undefined, duration: number): CheckResult {
  switch (run.kind) {
    case 'aborted':
      return { state: 'critical', errorType: 'timeout', duration, message: `${program} timed out` };
    case 'not_started':
      return {
        state: 'unknown',
        errorType: 'exec_failed',
        duration,
        message: `cannot run ${program}: ${startFailure(run.code, cwd)}`,
      };
    case 'exited': {
      const verdict = exitVerdict(run.code, run.signal);
      const output = parsePluginOutput(run.stdout);
      // Nagios reads stdout only; a plugin that fails early often says why on stderr.
      const said = output.message !== '' ? output.message : firstLine(run.stderr);
      const message = verdict.note === undefined ? said : said === '' ? verdict.note : `${verdict.note}: ${said}`;
      return {
        state: verdict.state,
        duration,
        ...(verdict.errorType === undefined ? {} : { errorType: verdict.errorType }),
        ...(message === '' ? {} : { message }),
        ...(output.perfdata.length === 0 ? {} : { perfdata: output.perfdata }),
      };
    }
  }
}

/** A Nagios-compatible plugin run as argv, in its own process group, cut at the timeout. */
export function createExecCheck(config: ExecCheckConfig): Check {
  const env = pluginEnvironment(config);
  const program = basename(config.command[0]!);
  const groups: RunningGroups = new Set();
  return {
    async run(signal) {
      const started = performance.now();
      const run = await runPlugin(
        { command: config.command, env, cwd: config.cwd, signal, maxOutputBytes: MAX_PLUGIN_OUTPUT_BYTES, killGraceMs: KILL_GRACE_MS },
        groups,
      );
      return resultOf(run, program, config.cwd, (performance.now() - started) / 1000);
    },
    close() {
      killAll(groups);
    },
  };
}
