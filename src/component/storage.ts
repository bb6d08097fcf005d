import type BetterSqlite3 from 'better-sqlite3';

/**
 * The one durable store, handed to each component scoped to its id. Keyed state
 * (cooldowns, silences, cursors) and append-only logs (outbox, export queue) share one
 * SQLite file with WAL in `service.data_dir`.
 */
export interface KeyValueStore {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  entries<T = unknown>(): Array<[string, T]>;
  clear(): void;
}

export interface LogRecord<T = unknown> {
  readonly seq: number;
  readonly time: number;
  readonly value: T;
  /** Length of the record's stored JSON text: what a queue bounds its memory by. */
  readonly size: number;
}

export interface AppendLog {
  /** Appends records in one transaction; returns their sequence numbers. */
  append(values: readonly unknown[], time: number): number[];
  /** Records after `afterSeq` in order, at most `limit`. */
  read<T = unknown>(afterSeq?: number, limit?: number): Array<LogRecord<T>>;
  /** Removes every record up to and including `seq` (acknowledged). */
  ack(seq: number): void;
  /** Removes the given records. */
  remove(seqs: readonly number[]): void;
  size(): number;
  /** Drops the oldest records so that at most `max` remain; returns how many were dropped. */
  trim(max: number): number;
}

/** One step of a component's own tables, as the core's migrations: never edited once released. */
export interface TableMigration {
  /** 1, 2, 3… in order; a step's number is its place in the owner's history. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** The store's SQLite connection (better-sqlite3), for a component's own tables. */
export type StoreDatabase = BetterSqlite3.Database;

export interface ComponentStorage {
  keyed(namespace: string): KeyValueStore;
  log(namespace: string): AppendLog;
  /**
   * Runs `fn` in one SQLite transaction and returns its result: every keyed write and log
   * append or removal inside commits together, or none does if `fn` throws (the error is
   * rethrown). This is how "cooldown decided to notify" and "the outbox holds the
   * notification" become one step that a SIGKILL cannot split.
   *
   * `fn` must be synchronous (the store is; a promise is refused). A call nested inside
   * another — including one made by a DeliveryQueue's `enqueue`, or by another component's
   * storage reached synchronously downstream — joins the outer transaction: it commits only
   * when the outermost one does.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Tables of the component's own (the `history` exporter's series and rollups, a plugin's):
   * brings the tables of `owner` (a type name: `history`, `my_plugin`; every table it makes
   * starts with `<owner>_`) to the newest of `migrations`, each step in its own IMMEDIATE
   * transaction with its version, tracked per owner, and returns the store's connection. A
   * store whose `owner` tables are newer than `migrations` is refused with a STORAGE error
   * naming the owner. Instances of one type share the owner's tables.
   */
  tables(owner: string, migrations: readonly TableMigration[]): StoreDatabase;
}
