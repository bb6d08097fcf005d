import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError, ensureDirectory } from './ensure-directory.js';

/**
 * Makes `path` a directory and proves it takes files by creating and removing one: a
 * permission check alone passes for root where nothing can be written (/proc, a read-only
 * mount). Throws a DirectoryError saying why.
 */
export function ensureWritableDirectory(path: string): void {
  ensureDirectory(path);
  const probe = join(path, `.healthpipe-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
    throw new DirectoryError(path, code, `no file can be created in it (${code})`, error);
  }
}
