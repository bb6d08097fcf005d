import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HealthpipeError } from '../errors.js';

/**
 * How many missing levels one call creates. A data directory is rarely more than a few levels
 * below an existing one; the bound makes every call a fixed number of system calls.
 */
export const MAX_MISSING_LEVELS = 32;

/** A directory that could not be created or is not one, with the path that failed and why. */
export class DirectoryError extends HealthpipeError {
  constructor(
    readonly path: string,
    /** An errno code (EACCES, ENOENT, EROFS, ENOTDIR, …) or TOO_DEEP. */
    readonly reason: string,
    /** The reason in words, without the path: "permission denied (creating /var/lib/x)". */
    readonly detail: string,
    cause?: unknown,
  ) {
    super('FILE_ACCESS', `${path}: ${detail}`, cause === undefined ? {} : { cause });
  }
}

/**
 * Makes `path` an existing directory: walks up to the first existing ancestor, then creates
 * each missing level, one mkdir each, never recursively. Node's recursive mkdir loops for
 * ever where a parent exists but refuses children with ENOENT (/proc); this makes at most
 * MAX_MISSING_LEVELS + 1 stats and as many mkdirs, and throws a DirectoryError naming the
 * path that failed.
 */
export function ensureDirectory(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const stats = statOrMissing(current, target);
    if (stats === 'missing') {
      if (missing.length === MAX_MISSING_LEVELS) {
        throw new DirectoryError(target, 'TOO_DEEP', `more than ${MAX_MISSING_LEVELS} missing levels`);
      }
      missing.push(current);
      current = dirname(current);
      continue;
    }
    if (!stats.isDirectory()) {
      throw new DirectoryError(target, 'ENOTDIR', current === target ? 'it exists and is not a directory' : `${current} is not a directory`);
    }
    break;
  }
  for (const level of missing.reverse()) createLevel(level, target);
}

function statOrMissing(path: string, target: string): Stats | 'missing' {
  try {
    return statSync(path);
  } catch (error) {
    // ENOTDIR: a file stands somewhere above; walking up finds it and names it.
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return 'missing';
    throw systemRefusal(target, path, 'reading', error);
  }
}

function createLevel(level: string, target: string): void {
  try {
    mkdirSync(level);
  } catch (error) {
    // Created by someone else in the meantime: as good as ours.
    if (codeOf(error) === 'EEXIST' && statSync(level, { throwIfNoEntry: false })?.isDirectory() === true) return;
    throw systemRefusal(target, level, 'creating', error);
  }
}

const SYSTEM_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it exists and is not a directory',
  // mkdir says ENOENT only where the parent exists but takes no new entries (/proc, /sys).
  ENOENT: 'the parent does not accept new directories',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

function systemRefusal(target: string, level: string, doing: string, error: unknown): DirectoryError {
  const code = codeOf(error);
  const reason = SYSTEM_REASONS[code] ?? code;
  return new DirectoryError(target, code, `${reason} (${doing} ${level})`, error);
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
}
