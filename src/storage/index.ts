export { openStore, openDataStore, STORE_FILE_NAME } from './store.js';
export type { Store } from './store.js';
export { SCHEMA_VERSION } from './migrations.js';
