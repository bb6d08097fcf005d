import { FileReadError, readBoundedFile } from '../../src/index.js';
import type { ReadLimits } from '../../src/index.js';
import { errorCode } from './backend.js';

/** `code`: ENOENT, EACCES, NOT_REGULAR, TOO_LARGE, TIMEOUT, EBADPIDFILE…; `detail`: the reason in words. */
export type PidFileResult = { readonly pid: number } | { readonly code: string; readonly detail: string };

/**
 * A PID file is a number and a newline: more than 64 bytes is not one, so a wrong path is
 * never loaded. 2 s is far beyond any local read: past it the read is abandoned, the target
 * counted as unreadable, and the other targets of the scrape go on.
 */
export const PID_FILE_LIMITS: ReadLimits = { maxBytes: 64, timeoutMs: 2_000, what: 'a PID file' };

/** A PID file holds one positive integer (a trailing newline is usual); anything else is unreadable. */
export function parsePidFile(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  const pid = Number(trimmed);
  return pid > 0 && pid <= 0x7fffffff ? pid : undefined;
}

/** Read on every scrape: a restarted service writes a new PID into the same file. */
export async function readPidFile(path: string, limits: ReadLimits = PID_FILE_LIMITS): Promise<PidFileResult> {
  try {
    const pid = parsePidFile((await readBoundedFile(path, limits)).toString('latin1'));
    return pid === undefined ? { code: 'EBADPIDFILE', detail: 'does not hold a PID' } : { pid };
  } catch (error) {
    if (error instanceof FileReadError) return { code: error.reason, detail: error.detail };
    const code = errorCode(error);
    return { code, detail: `cannot be read (${code})` };
  }
}
