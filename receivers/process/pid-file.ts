import { open } from 'node:fs/promises';
import { errorCode } from './backend.js';

export type PidFileResult = { readonly pid: number } | { readonly code: string };

/** More than this is not a PID file; reading stops there so a wrong path cannot load a large file. */
const MAX_PID_FILE_BYTES = 64;

/** A PID file holds one positive integer (a trailing newline is usual); anything else is unreadable. */
export function parsePidFile(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  const pid = Number(trimmed);
  return pid > 0 && pid <= 0x7fffffff ? pid : undefined;
}

/** Read on every scrape: a restarted service writes a new PID into the same file. */
export async function readPidFile(path: string): Promise<PidFileResult> {
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_PID_FILE_BYTES);
      const { bytesRead } = await file.read(buffer, 0, MAX_PID_FILE_BYTES, 0);
      const pid = bytesRead < MAX_PID_FILE_BYTES ? parsePidFile(buffer.toString('latin1', 0, bytesRead)) : undefined;
      return pid === undefined ? { code: 'EBADPIDFILE' } : { pid };
    } finally {
      await file.close();
    }
  } catch (error) {
    return { code: errorCode(error) };
  }
}
