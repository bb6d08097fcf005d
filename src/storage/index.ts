// Placeholder signature: the storage helper replaces this file with the SQLite implementation.
import type { ComponentStorage } from '../component/storage.js';

export interface Store {
  /** The schema version after migrations. */
  readonly version: number;
  /** Storage scoped to one component id. */
  component(id: string): ComponentStorage;
  close(): void;
}

export function openStore(_path: string): Store {
  throw new Error('storage not implemented yet');
}
