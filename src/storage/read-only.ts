import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StoreDatabase, TableMigration } from '../component/storage.js';
import { HealthpipeError } from '../errors.js';
import { SCHEMA_VERSION } from './migrations.js';
import { STORE_FILE_NAME } from './store.js';

/**
 * A reader beside a running agent waits this long for the rare lock a WAL reader meets (the
 * writer recovering the WAL after a crash); past it, `status` says so instead of hanging.
 */
const READ_BUSY_TIMEOUT_MS = 5000;

/** Where an owner's tables stand in the file, next to what this binary knows of them. */
export interface TablesState {
  /** The version the file records in `component_schema`; 0 when the owner never made its tables. */
  readonly version: number;
  /** The newest of this binary's migrations for the owner. */
  readonly known: number;
}

/**
 * The store of another process, opened to read only: nothing is migrated or created (no
 * directory, no store file, no table), so `status` and `history` can run beside the agent (WAL
 * lets them read while it writes) or after it stopped. One exception is SQLite's: a WAL
 * database read after its writer closed gets its `-wal` and `-shm` files back (empty), so the
 * reader needs write access to the data directory. An `immutable` open would avoid that, but
 * better-sqlite3 is built without URI file names.
 */
export interface ReadOnlyStore {
  readonly path: string;
  /** The core schema version of the file (`user_version`): at most SCHEMA_VERSION, perhaps older. */
  readonly version: number;
  /** The read-only connection (any write fails with SQLITE_READONLY). */
  readonly db: StoreDatabase;
  /** The state of the tables of each owner named when opening. */
  tables(owner: string): TablesState;
  /** Runs `fn` in one read transaction: every query inside sees the same snapshot. */
  read<T>(fn: () => T): T;
  close(): void;
}

export interface ReadOnlyOpenOptions {
  /**
   * The owners whose tables the reader will query, with this binary's migrations for them: a
   * file whose tables are newer is refused, older ones are read as they are.
   */
  readonly tables?: Readonly<Record<string, readonly TableMigration[]>>;
}

function storageError(message: string, cause?: unknown): HealthpipeError {
  return new HealthpipeError('STORAGE', message, cause === undefined ? {} : { cause });
}

function newestVersion(migrations: readonly TableMigration[]): number {
  return migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
}

/** The owner's version; 0 in a file older than the `component_schema` table (core version 1). */
function ownerVersion(db: Database.Database, owner: string): number {
  const table = db.prepare<[], number>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'component_schema'").pluck().get();
  if (table === undefined) return 0;
  return db.prepare<[string], number>('SELECT version FROM component_schema WHERE owner = ?').pluck().get(owner) ?? 0;
}

/** Refuses a file this binary cannot read: a newer core schema, or newer tables of an owner it reads. */
function readStates(db: Database.Database, path: string, options: ReadOnlyOpenOptions): { version: number; states: Map<string, TablesState> } {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw storageError(
      `store ${path} has schema version ${version}, newer than this healthpipe knows (${SCHEMA_VERSION}): ` +
        'it was written by a newer healthpipe; read it with that version or upgrade this one',
    );
  }
  const states = new Map<string, TablesState>();
  for (const [owner, migrations] of Object.entries(options.tables ?? {})) {
    const state = { version: ownerVersion(db, owner), known: newestVersion(migrations) };
    if (state.version > state.known) {
      throw storageError(
        `the ${owner} tables of store ${path} have version ${state.version}, newer than this healthpipe knows (${state.known}): ` +
          'they were written by a newer healthpipe; read them with that version or upgrade this one',
      );
    }
    states.set(owner, state);
  }
  return { version, states };
}

/**
 * Opens `<dataDir>/healthpipe.db` for reading only (`readonly`, `fileMustExist`). Every
 * failure is a HealthpipeError with code STORAGE that says what to do: no store yet, a file
 * written by a newer healthpipe, a file that is not a store. A file older than this binary
 * is read as it is: its missing tables are the reader's to treat as empty.
 */
export function openReadOnlyStore(dataDir: string, options: ReadOnlyOpenOptions = {}): ReadOnlyStore {
  const path = join(dataDir, STORE_FILE_NAME);
  // better-sqlite3 would say "the directory does not exist" or "unable to open database file".
  if (!existsSync(path)) throw storageError(`no store at ${dataDir}: has an agent with this data_dir run?`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: READ_BUSY_TIMEOUT_MS });
    const { version, states } = readStates(db, path, options);
    return readOnlyStore(db, path, version, states);
  } catch (error) {
    db?.close();
    if (error instanceof HealthpipeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw storageError(`cannot read store ${path}: ${reason}`, error);
  }
}

function readOnlyStore(db: Database.Database, path: string, version: number, states: ReadonlyMap<string, TablesState>): ReadOnlyStore {
  return {
    path,
    version,
    db,
    tables(owner) {
      const state = states.get(owner);
      if (state === undefined) throw storageError(`the ${owner} tables were not named when the store was opened`);
      return state;
    },
    read: (fn) => db.transaction(fn).deferred(),
    close() {
      if (db.open) db.close();
    },
  };
}
