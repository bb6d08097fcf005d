import type { RegistryEntry } from '../source.js';

/** One key of the prefix as this source keeps it: the entry, and the revision of its last put. */
export interface MirroredKey {
  readonly entry: RegistryEntry;
  readonly modRevision: bigint;
}

/** A key and value as the etcd3 client hands them (bytes), with the revision of the put. */
export interface KeyValue {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly mod_revision: string;
}

/**
 * The entry of one key: its id is the key after the prefix, its value the parsed JSON. A
 * value that is not JSON still becomes an entry, so the receiver reports it with its key
 * and skips it like any other invalid instance.
 */
export function entryOf(kv: KeyValue, prefix: string, seenAt: number): RegistryEntry {
  const key = kv.key.toString('utf8');
  const text = kv.value.toString('utf8');
  const base = { id: key.slice(prefix.length), seenAt, where: key };
  try {
    return { ...base, value: JSON.parse(text) as unknown };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ...base, value: text, unreadable: `the value is not JSON: ${why}` };
  }
}
