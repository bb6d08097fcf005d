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
}
