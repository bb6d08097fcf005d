export { openStore, openDataStore, STORE_FILE_NAME } from './store.js';
export type { Store } from './store.js';
export { SCHEMA_VERSION } from './migrations.js';
export { openReadOnlyStore } from './read-only.js';
export type { ReadOnlyStore, ReadOnlyOpenOptions, TablesState } from './read-only.js';
