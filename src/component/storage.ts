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
}
