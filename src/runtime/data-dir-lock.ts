import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HealthpipeError } from '../errors.js';
import { ensureDirectory } from '../io/ensure-directory.js';

/** The file whose lock says an agent runs on the directory. Never opened by anything else. */
export const LOCK_FILE_NAME = 'healthpipe.lock';
/** The holder's PID, for the refusal's message only: the lock is what counts. */
export const PID_FILE_NAME = 'healthpipe.pid';

/** The lock one agent holds on its data_dir for its whole run. */
export interface DataDirLock {
  readonly directory: string;
  /** Gives the directory up; once is enough, more is harmless. */
  release(): void;
}

/**
 * Takes the directory for this agent, or throws a HealthpipeError (STORAGE) naming the
 * directory and, when it can be known, the PID of the agent holding it.
 *
 * Node has no flock, so SQLite's POSIX locks do it: an exclusive transaction on an empty
 * lock database, never committed, held until release. The kernel drops the lock with the
 * process, so an agent restarted right after a SIGKILL starts at once, and SQLite tracks its
 * locks per file within a process too, so a second Runtime in the same process is refused
 * as well. The lock file is a file of its own: closing any descriptor of a POSIX-locked file
 * drops the process's locks on it, and the store's file is opened and closed by readers.
 */
export function lockDataDir(directory: string): DataDirLock {
  ensureDirectory(directory);
  const lockPath = join(directory, LOCK_FILE_NAME);
  let db: Database.Database | undefined;
  try {
    // timeout 0: a held lock answers SQLITE_BUSY at once rather than after a wait.
    db = new Database(lockPath, { timeout: 0 });
    // No journal: nothing is ever written, and no stray `-journal` file appears beside it.
    db.pragma('journal_mode = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db?.close();
    if (isBusy(error)) throw heldBy(directory, readHolder(directory));
    const reason = error instanceof Error ? error.message : String(error);
    throw new HealthpipeError('STORAGE', `cannot lock the data directory ${directory} (${lockPath}): ${reason}`, { cause: error });
  }
  writeHolder(directory);
  const held = db;
  return {
    directory,
    release: () => {
      if (!held.open) return;
      // The PID file goes while the lock is still held: once it is released, the next
      // agent's PID file may already be there.
      rmSync(join(directory, PID_FILE_NAME), { force: true });
      held.close();
    },
  };
}

function heldBy(directory: string, pid: number | undefined): HealthpipeError {
  const holder = pid === undefined ? 'another healthpipe agent' : `another healthpipe agent (PID ${pid})`;
  return new HealthpipeError(
    'STORAGE',
    `the data directory ${directory} is in use by ${holder}: one agent per data_dir; stop that agent or give this one another service.data_dir`,
  );
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Written whole (a rename), so a reader never sees half a PID. */
function writeHolder(directory: string): void {
  const path = join(directory, PID_FILE_NAME);
  const temporary = `${path}.${process.pid}`;
  try {
    writeFileSync(temporary, `${process.pid}\n`);
    renameSync(temporary, path);
  } catch {
    // Only the refusal's message needs it: an agent that cannot write it still runs.
    rmSync(temporary, { force: true });
  }
}

/** The PID in the side file, if that process is alive: a file left by a SIGKILL names nobody. */
function readHolder(directory: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(directory, PID_FILE_NAME), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!(Number.isSafeInteger(pid) && pid > 0)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
