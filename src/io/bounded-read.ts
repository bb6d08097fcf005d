import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { HealthpipeError } from '../errors.js';
import { withTimeout } from './timeout.js';

/** How much of a file may be read and for how long: every file an operator names has both. */
export interface ReadLimits {
  /** Largest file accepted, in bytes; a larger one is refused, never read in full. */
  readonly maxBytes: number;
  /** Open, check and read must be done in this many ms, else the read is abandoned. */
  readonly timeoutMs: number;
  /** What the file is, for the message of a file that is too large ("a configuration file"). */
  readonly what: string;
}

/**
 * Why a file was refused: an errno code (ENOENT, EACCES, …) as the system gave it, or one
 * of ours. A bounded set, so it can become a metric attribute.
 */
export type ReadRefusal = string;

/** A file that could not be read, with a reason a person can act on (without the path). */
export class FileReadError extends HealthpipeError {
  constructor(
    readonly path: string,
    readonly reason: ReadRefusal,
    /** The reason in words, without the path: "is a FIFO, not a regular file". */
    readonly detail: string,
    cause?: unknown,
  ) {
    super('FILE_ACCESS', `${path}: ${detail}`, cause === undefined ? {} : { cause });
  }
}

// Non-blocking so that opening a FIFO without a writer (or a terminal, a device) returns at
// once instead of parking a libuv thread: Node joins those threads at exit, so one stuck
// open would also keep the agent from ever exiting. NOCTTY: a terminal never becomes ours.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a file an operator named (a configuration, a PID file, a registry file): opened
 * non-blocking, required to be a regular file, bounded in size, within a timeout. Rejects
 * with a FileReadError saying why. On timeout the read is abandoned and its file closed
 * whenever the system gives it back; the main thread never waits for it.
 */
export function readBoundedFile(path: string, limits: ReadLimits): Promise<Buffer> {
  // A read that never came back holds a libuv thread (there are four): asking again would
  // hold another each time, until no file I/O is left for anything else.
  if (stuckReads.has(path)) {
    return Promise.reject(new FileReadError(path, 'TIMEOUT', 'an earlier read of it has not come back yet'));
  }
  const abandoned = { value: false };
  const work = readRegularFile(path, limits, abandoned);
  return withTimeout(work, limits.timeoutMs, () => {
    abandoned.value = true;
    stuckReads.add(path);
    const release = (): void => void stuckReads.delete(path);
    work.then(release, release);
    return new FileReadError(path, 'TIMEOUT', `did not answer within ${limits.timeoutMs} ms`);
  });
}

/** Paths whose abandoned read has not come back from the system yet. */
const stuckReads = new Set<string>();

async function readRegularFile(path: string, limits: ReadLimits, abandoned: { value: boolean }): Promise<Buffer> {
  let file: FileHandle;
  try {
    file = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw systemRefusal(path, error);
  }
  try {
    if (abandoned.value) return Buffer.alloc(0);
    const stats = await file.stat();
    const kind = nonRegularKind(stats);
    if (kind !== undefined) throw new FileReadError(path, 'NOT_REGULAR', `is ${kind}, not a regular file`);
    if (stats.size > limits.maxBytes) throw tooLarge(path, limits);
    // Files under /proc and /sys say size 0: read until the end, never past the bound.
    const chunks: Buffer[] = [];
    let total = 0;
    while (!abandoned.value) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limits.maxBytes + 1 - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limits.maxBytes) throw tooLarge(path, limits);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof FileReadError ? error : systemRefusal(path, error);
  } finally {
    await file.close().catch(() => undefined);
  }
}

function nonRegularKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function tooLarge(path: string, limits: ReadLimits): FileReadError {
  return new FileReadError(path, 'TOO_LARGE', `is larger than ${formatBytes(limits.maxBytes)}, the limit for ${limits.what}`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The errno codes an operator can meet, in words; others keep their code. */
const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a regular file',
  ENOTDIR: 'a part of the path is not a directory',
  ENXIO: 'is a socket or a device without a driver, not a regular file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'input/output error',
};

function systemRefusal(path: string, error: unknown): FileReadError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  return new FileReadError(path, code, SYSTEM_REASONS[code] ?? `cannot be read (${code})`, error);
}
