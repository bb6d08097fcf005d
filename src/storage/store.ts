import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { AppendLog, ComponentStorage, KeyValueStore, StoreDatabase, TableMigration } from '../component/storage.js';
import { HealthpipeError } from '../errors.js';
import { ensureDirectory } from '../io/ensure-directory.js';
import { SqliteKeyValueStore } from './keyed.js';
import { prepareLogTransactions, SqliteAppendLog, type LogTransactions } from './log.js';
import { migrate } from './migrations.js';
import { migrateComponentTables } from './component-tables.js';
import { prepareStatements, type Statements } from './statements.js';

/** The store's file inside `service.data_dir`. */
export const STORE_FILE_NAME = 'healthpipe.db';

/**
 * How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
 * better-sqlite3 is synchronous, so this is how long the event loop can stand still. With
 * one agent per data_dir (src/runtime/data-dir-lock.ts) and WAL, nothing else writes, and
 * readers (`status`, `history`) never block the writer; what is left is a reader rebuilding
 * the WAL index after a crash, or a stray writer (a sqlite3 shell): a short wait, then a
 * store error where store errors are already handled (the cooldown's subscription restarts,
 * an outbox's write is counted and logged).
 */
export const BUSY_TIMEOUT_MS = 250;
/**
 * Pages in the WAL after which a commit checkpoints them into the database (SQLite's default,
 * made explicit): about 4 MiB with 4 KiB pages. The checkpoint is PASSIVE: it never waits
 * for a reader, it only stops where the oldest reader's snapshot begins.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;
/**
 * What the WAL file is cut back to once a checkpoint has emptied it. A reader holding a
 * snapshot for long (a slow `history` query) makes the WAL grow past the checkpoints; without
 * a limit the file would keep that size for ever.
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

export interface Store {
  /** The schema version after migrations. */
  readonly version: number;
  /** Storage scoped to one component id. */
  component(id: string): ComponentStorage;
  /**
   * The connection itself, for reading tables a component owns without migrating them (the
   * history an extension reads): a store no `history` exporter wrote stays without its tables.
   */
  readonly database: StoreDatabase;
  close(): void;
}

class SqliteStore implements Store {
  readonly database: StoreDatabase;
  private readonly statements: Statements;
  private readonly logTransactions: LogTransactions;
  /** Scope ids by component and namespace: bounded by the configured components. */
  private readonly scopes = new Map<string, number>();

  constructor(
    private readonly db: Database.Database,
    readonly version: number,
  ) {
    this.database = db;
    this.statements = prepareStatements(db);
    this.logTransactions = prepareLogTransactions(db, this.statements);
  }

  component(id: string): ComponentStorage {
    return {
      keyed: (namespace: string): KeyValueStore =>
        new SqliteKeyValueStore(this.statements, () => this.scope(id, namespace)),
      log: (namespace: string): AppendLog =>
        new SqliteAppendLog(this.statements, this.logTransactions, () => this.scope(id, namespace)),
      transaction: <T>(fn: () => T): T => this.transaction(fn),
      tables: (owner: string, migrations: readonly TableMigration[]): StoreDatabase => {
        migrateComponentTables(this.db, owner, migrations);
        return this.db;
      },
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half way when
   * another connection (a stray writer: one agent per data_dir is locked) holds it. Inside an open
   * transaction better-sqlite3 turns this into a SAVEPOINT, so a nested call commits with
   * the outermost one.
   */
  private transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Resolved on every operation (a map hit once known). A scope first created inside a
   * transaction is not remembered until a commit is certain: a rollback takes its row away,
   * and a remembered id would then point at nothing.
   */
  private scope(component: string, namespace: string): number {
    const key = `${component}\u0000${namespace}`;
    let id = this.scopes.get(key);
    if (id === undefined) {
      this.statements.scopeInsert.run(component, namespace);
      id = this.statements.scopeId.get(component, namespace);
      if (id === undefined) throw new HealthpipeError('STORAGE', `cannot create storage scope ${component}/${namespace}`);
      if (!this.db.inTransaction) this.scopes.set(key, id);
    }
    return id;
  }
}

function isInMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}

function configure(db: Database.Database, path: string): void {
  // WAL lets readers (status, history queries) run beside the writer; with WAL, NORMAL
  // only risks the last transactions on power loss, never corruption.
  if (!isInMemory(path)) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

/**
 * Opens (creating if needed) the store at `path`, a SQLite file or `:memory:`, and migrates
 * it to the current schema. Every failure, including a file written by a newer healthpipe,
 * is a HealthpipeError with code STORAGE.
 */
export function openStore(path: string): Store {
  let db: Database.Database | undefined;
  try {
    // Never Node's recursive mkdir: it loops for ever under /proc.
    if (!isInMemory(path)) ensureDirectory(dirname(path));
    db = new Database(path);
    configure(db, path);
    const version = migrate(db, path);
    return new SqliteStore(db, version);
  } catch (error) {
    db?.close();
    if (error instanceof HealthpipeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HealthpipeError('STORAGE', `cannot open store ${path}: ${reason}`, { cause: error });
  }
}

/** Opens the one store of a running pipeline: `<dataDir>/healthpipe.db`. */
export function openDataStore(dataDir: string): Store {
  return openStore(join(dataDir, STORE_FILE_NAME));
}
