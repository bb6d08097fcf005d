import { createHistoryReader } from '../history/store-reader.js';
import type { HistoryReader } from '../history/reader.js';
import type { Store } from '../storage/index.js';

/**
 * What extensions read of the history on the running agent's own store: its own connection,
 * without migrating anything, so a store no `history` exporter wrote stays without history
 * tables and answers `available() === false`.
 */
export function historyReaderOf(store: Store): HistoryReader {
  return createHistoryReader(store.database);
}
