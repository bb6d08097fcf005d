import type { KeyValueStore } from '../component/storage.js';
import { decode, encode } from './json.js';
import type { Statements } from './statements.js';

/** Key-value state of one (component, namespace) scope. */
export class SqliteKeyValueStore implements KeyValueStore {
  constructor(
    private readonly statements: Statements,
    /** The scope's row id, resolved per call: see SqliteStore.scope. */
    private readonly scopeId: () => number,
  ) {}

  private get scope(): number {
    return this.scopeId();
  }

  get<T = unknown>(key: string): T | undefined {
    const text = this.statements.kvGet.get(this.scope, key);
    return text === undefined ? undefined : decode<T>(text);
  }

  set(key: string, value: unknown): void {
    this.statements.kvSet.run(this.scope, key, encode(value));
  }

  delete(key: string): void {
    this.statements.kvDelete.run(this.scope, key);
  }

  entries<T = unknown>(): Array<[string, T]> {
    return this.statements.kvEntries.all(this.scope).map(([key, text]) => [key, decode<T>(text)]);
  }

  clear(): void {
    this.statements.kvClear.run(this.scope);
  }
}
