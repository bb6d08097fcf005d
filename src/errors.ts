import type { ConfigProblem } from './config/problem.js';

/** Codes of expected errors: the CLI prints message and code for these, a stack only for bugs. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_READ'
  | 'PLUGIN_LOAD'
  | 'PLUGIN_INVALID'
  | 'COMPONENT_CREATE'
  | 'COMPONENT_START'
  | 'STORAGE'
  /** A run-time silence that is malformed, already ended, or past the bound: the HTTP API's 400. */
  | 'SILENCE_REFUSED'
  | 'FILE_ACCESS'
  | 'SHUTDOWN_TIMEOUT';

/** The one error type of healthpipe: a code, the component it concerns, and a cause. */
export class HealthpipeError extends Error {
  override readonly name = 'HealthpipeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { component?: string; cause?: unknown; problems?: readonly ConfigProblem[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get component(): string | undefined {
    return this.options.component;
  }

  /** The problems of a configuration that was refused (CONFIG_INVALID), one per line when printed. */
  get problems(): readonly ConfigProblem[] | undefined {
    return this.options.problems;
  }
}
