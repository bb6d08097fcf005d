import type { RegistryEntry } from '../source.js';
import { entryOf, type KeyValue, type MirroredKey } from './etcd-entry.js';

/** A watch event as the etcd3 client hands it; the type is `PUT`/`DELETE` on the wire, `Put`/`Delete` in its typings. */
export interface KeyEvent {
  readonly type: string;
  readonly kv: KeyValue;
}

/**
 * The keys under the prefix as etcd last showed them, and the revision they are at: a
 * complete read sets both, watch events move them forward. Bounded by what etcd holds under
 * the prefix: a deleted key (or one whose lease expired) leaves the map.
 */
export class PrefixMirror {
  private keys = new Map<string, MirroredKey>();
  private at = 0n;

  constructor(private readonly prefix: string) {}

  /** The revision everything up to which is mirrored: the watch resumes at the next one. */
  get revision(): bigint {
    return this.at;
  }

  /** A complete read at `revision`. A key put since the last look counts as seen now; one unchanged keeps when it was seen. */
  load(kvs: readonly KeyValue[], revision: bigint, now: number): void {
    const keys = new Map<string, MirroredKey>();
    for (const kv of kvs) {
      const key = kv.key.toString('utf8');
      const modRevision = BigInt(kv.mod_revision);
      const known = this.keys.get(key);
      const seenAt = known !== undefined && known.modRevision === modRevision ? known.entry.seenAt : now;
      keys.set(key, { entry: entryOf(kv, this.prefix, seenAt), modRevision });
    }
    this.keys = keys;
    this.at = revision;
  }

  /**
   * Watch events in etcd's order. One at or before the mirrored revision is already in, so
   * it is passed over; one transaction (a lease expiring with several keys) is several events
   * of one revision, all taken. Says whether anything changed.
   */
  apply(events: readonly KeyEvent[], now: number): boolean {
    const mirrored = this.at;
    let changed = false;
    for (const { type, kv } of events) {
      const modRevision = BigInt(kv.mod_revision);
      if (modRevision <= mirrored) continue;
      const key = kv.key.toString('utf8');
      if (type.toUpperCase() === 'DELETE') this.keys.delete(key);
      else this.keys.set(key, { entry: entryOf(kv, this.prefix, now), modRevision });
      this.at = modRevision;
      changed = true;
    }
    return changed;
  }

  /** Where the watch reaches without events: a progress notification's revision. */
  reached(revision: bigint): void {
    if (revision > this.at) this.at = revision;
  }

  entries(): RegistryEntry[] {
    return [...this.keys.values()].map((key) => key.entry);
  }
}
