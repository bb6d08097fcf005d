/**
 * The contract between the `health_check` receiver and its three kinds of check (http, tcp,
 * exec): a check runs once and answers a `CheckResult`; the receiver turns it into points
 * (DESIGN.md §3, "Names and vocabularies"), debounces `healthcheck.state` and schedules the
 * next run. A check never throws for a failing target: failure is a result.
 */

/** The Nagios states, codes 0–3 (`healthcheck.state` carries the code). */
export const CHECK_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/**
 * Why a check could not complete or failed: the fixed vocabulary of `error.type` on
 * `healthcheck.error`. Never a raw error string (the ancestor's unbounded tags). Values may
 * grow, not change.
 */
export const CHECK_ERROR_TYPES = [
  /** The check's own hard timeout cut it. */
  'timeout',
  /** The name did not resolve. */
  'dns',
  /** Nothing listens: ECONNREFUSED. */
  'connection_refused',
  /** The peer closed or reset the connection before answering. */
  'connection_reset',
  /** Any other socket-level failure (EHOSTUNREACH, ENETUNREACH, EPIPE …). */
  'network',
  /** The TLS handshake failed: bad, expired or untrusted certificate, wrong name. */
  'tls',
  /** An HTTP answer that is not HTTP. */
  'protocol',
  /** The status was outside `expect_status`. */
  'unexpected_status',
  /** The body did not contain, match or hold what the target expects. */
  'unexpected_body',
  /** The exec plugin could not be started (ENOENT, EACCES). */
  'exec_failed',
  /** The exec plugin exited with a code outside 0–3, or was killed by a signal. */
  'plugin_error',
] as const;
export type CheckErrorType = (typeof CHECK_ERROR_TYPES)[number];

/** The HTTP phases of `healthcheck.http.phase.duration`; a reused connection has first_byte and total only. */
export const HTTP_PHASES = ['dns', 'connect', 'tls', 'first_byte', 'total'] as const;
export type HttpPhase = (typeof HTTP_PHASES)[number];

/** One value of a Nagios plugin's performance data (`label=value[UOM];warn;crit;min;max`). */
export interface Perfdata {
  readonly label: string;
  readonly value: number;
  /** The UCUM unit of the UOM: `s`, `%`, `By`, `{count}` (`c`), or '' when there was none. */
  readonly unit: string;
  readonly warn?: string;
  readonly crit?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface CheckResult {
  readonly state: CheckState;
  /** Wall time of the check in seconds, from the injected scheduler's clock or a monotonic one. */
  readonly duration: number;
  /**
   * Set when the check failed or could not complete: `healthcheck.error` is 1 with this
   * `error.type`. A Nagios plugin that ran and said CRITICAL has no error type (the check
   * completed; its state says the rest).
   */
  readonly errorType?: CheckErrorType;
  /**
   * One line for people: a plugin's first output line, "HTTP 503 Service Unavailable",
   * "connection refused". Raw here; the receiver cleans and bounds it with `eventText` and
   * the target's secrets before it travels on points.
   */
  readonly message?: string;
  /** HTTP only: the answer's status code. */
  readonly httpStatus?: number;
  /** HTTP only: seconds per phase that took place. */
  readonly phases?: Readonly<Partial<Record<HttpPhase, number>>>;
  /** HTTPS only: seconds until the peer certificate expires (negative once expired). */
  readonly certRemaining?: number;
  /** Exec only: the plugin's performance data. */
  readonly perfdata?: readonly Perfdata[];
}

/**
 * One configured check, made once per target (keeping its connections, compiled patterns,
 * secrets) and run on every tick. `run` resolves for every outcome, including a timeout:
 * the signal aborts at the target's timeout and the check answers `{ state: 'critical',
 * errorType: 'timeout' }` promptly, releasing what it holds (socket, child process group).
 */
export interface Check {
  run(signal: AbortSignal): Promise<CheckResult>;
  /** Releases kept connections; called when the target is removed or the receiver stops. */
  close(): void;
}
