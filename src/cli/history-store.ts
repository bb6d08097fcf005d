import { createHistoryReader, HISTORY_MIGRATIONS, HISTORY_OWNER } from '../history/index.js';
import type { HistoryReader } from '../history/reader.js';
import { openReadOnlyStore } from '../storage/index.js';

/** The store of an agent, opened to read its history: what `status` and `history` read. */
export interface OpenedHistory {
  /** The store file. */
  readonly path: string;
  readonly reader: HistoryReader;
  /** Runs `fn` on one snapshot of the store, so a report's figures agree with each other. */
  read<T>(fn: () => T): T;
  close(): void;
}

/**
 * Opens `<dataDir>/healthpipe.db` read-only (never migrating or creating anything) with a
 * HistoryReader over it. A store older than this binary, without the history tables, reads
 * as empty; one whose history tables are newer than this binary's is refused (HealthpipeError
 * STORAGE).
 */
export function openHistory(dataDir: string): OpenedHistory {
  const store = openReadOnlyStore(dataDir, { tables: { [HISTORY_OWNER]: HISTORY_MIGRATIONS } });
  return { path: store.path, reader: createHistoryReader(store.db), read: (fn) => store.read(fn), close: () => store.close() };
}
