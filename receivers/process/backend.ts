/** What a backend reads about one process; the scraper turns it into points. */
export interface ProcessSample {
  readonly ok: true;
  readonly pid: number;
  /** Milliseconds since the epoch. With the PID, the identity of the process. */
  readonly creationTime: number;
  readonly executableName: string | undefined;
  /** User name, or the uid when no name is known. */
  readonly owner: string | undefined;
  /** CPU seconds by mode; undefined when the backend only knows the total. */
  readonly cpuUser: number | undefined;
  readonly cpuSystem: number | undefined;
  readonly cpuTotal: number;
  readonly memoryRss: number;
  readonly memoryVirtual: number | undefined;
  readonly threads: number | undefined;
  readonly fileDescriptors: number | undefined;
  /** Bytes read from / written to storage since the process started; undefined when not read. */
  readonly diskRead?: number | undefined;
  readonly diskWrite?: number | undefined;
  /** TCP sockets held, counted by state in the order of `TCP_STATES`; undefined when not read. */
  readonly connections?: readonly number[] | undefined;
  /** The whole command line, arguments joined by spaces; read once per process, only when asked for. */
  readonly commandLine?: string | undefined;
  /** Reads beyond the main one that failed (another user's /proc/PID/io, …): the rest of the sample stands. */
  readonly partialFailures?: readonly PartialReadFailure[] | undefined;
}

/** One metric of a readable process that could not be read, and why. */
export interface PartialReadFailure {
  readonly metric: string;
  readonly errorType: ScrapeErrorType;
  readonly code: string;
}

/** The bounded values of `error.type` on `process.scrape.error`. */
export const SCRAPE_ERROR_TYPES = ['not_found', 'permission_denied', 'pid_file_unreadable', 'no_match', 'other'] as const;
export type ScrapeErrorType = (typeof SCRAPE_ERROR_TYPES)[number];

export interface ReadFailure {
  readonly ok: false;
  readonly pid: number | undefined;
  readonly errorType: ScrapeErrorType;
  /** The errno code (ENOENT, EACCES, …) or a short reason, for the log line only. */
  readonly code: string;
  /** Why, in words, where the code alone does not say it ("is a FIFO, not a regular file"): for the log line only. */
  readonly detail?: string;
}

export type SampleResult = ProcessSample | ReadFailure;

export interface ProcessBackend {
  /**
   * How far two creation times of one PID may differ and still be the same process: zero
   * where it is exact (procfs start ticks), more where it is derived from elapsed time.
   */
  readonly creationToleranceMs: number;
  /**
   * Reads every PID; results in the same order. Handles of PIDs not asked for are released.
   * A sample is good until the next read: a backend may fill the same object again (procfs
   * does), so what outlives the scrape is copied out of it.
   */
  read(pids: readonly number[]): Promise<readonly SampleResult[]>;
  /** Releases every kept handle; later reads return nothing. */
  close(): void;
}

/** Maps an errno-style error to a bounded error type, never to its free-text message. */
export function errorTypeOf(error: unknown): ScrapeErrorType {
  switch (errorCode(error)) {
    case 'ENOENT':
    case 'ESRCH':
      return 'not_found';
    case 'EACCES':
    case 'EPERM':
      return 'permission_denied';
    default:
      return 'other';
  }
}

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'UNKNOWN';
}

export function readFailure(pid: number | undefined, error: unknown): ReadFailure {
  return { ok: false, pid, errorType: errorTypeOf(error), code: errorCode(error) };
}
