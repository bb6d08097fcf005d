import { EMPTY_HISTORY, type HistoryReader } from '../history/reader.js';
import type { Store } from '../storage/index.js';

/** What extensions read of the history on the running agent's own store. */
export function historyReaderOf(_store: Store): HistoryReader {
  return EMPTY_HISTORY;
}
