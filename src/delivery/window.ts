import type { AppendLog } from '../component/storage.js';

/** One undelivered item, as read back from the log. */
export interface Entry<T> {
  readonly seq: number;
  readonly key: string;
  readonly value: T;
  readonly size: number;
}

export interface WindowBounds {
  /** Items held in memory at most; the rest wait in the store. */
  readonly maxItems: number;
  /** Stored JSON length held in memory at most (one larger item is still loaded alone). */
  readonly maxBytes: number;
}

/** Records read from the store per query while the window fills. */
const PAGE = 256;

/**
 * The part of the log held in memory: per key, its oldest undelivered items, in log order.
 * The log is the truth; this is a bounded cache of its front. It is filled only from the
 * log, never from what `enqueue` was handed, so an append that a transaction rolled back is
 * never seen, and what did not fit is read back, in order, once room frees up.
 */
export class DeliveryWindow<T> {
  private readonly byKey = new Map<string, Entry<T>[]>();
  /** The highest sequence number read into memory: everything after it is only in the store. */
  private cursor = 0;
  private items = 0;
  private bytes = 0;
  /** False once a read found the end of the log; an append sets it again. */
  private storeHasMore = true;

  constructor(
    private readonly log: AppendLog,
    private readonly keyOf: (value: T) => string,
    private readonly bounds: WindowBounds,
  ) {}

  get size(): number {
    return this.items;
  }

  get memoryBytes(): number {
    return this.bytes;
  }

  /** Something was appended (or may have been): look at the store on the next fill. */
  appended(): void {
    this.storeHasMore = true;
  }

  /** Reads the log's next records, in order, while the bounds leave room. */
  fill(): void {
    while (this.storeHasMore && this.items < this.bounds.maxItems) {
      const want = Math.min(PAGE, this.bounds.maxItems - this.items);
      const records = this.log.read<T>(this.cursor, want);
      for (const record of records) {
        if (this.items > 0 && this.bytes + record.size > this.bounds.maxBytes) return;
        const entry: Entry<T> = { seq: record.seq, key: this.keyOf(record.value), value: record.value, size: record.size };
        const queue = this.byKey.get(entry.key);
        if (queue === undefined) this.byKey.set(entry.key, [entry]);
        else queue.push(entry);
        this.items += 1;
        this.bytes += entry.size;
        this.cursor = record.seq;
      }
      if (records.length < want) this.storeHasMore = false;
    }
  }

  /** Keys with items in memory, oldest key first (the order keys entered the window). */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /** The oldest `limit` items in memory of `key`. */
  front(key: string, limit: number): readonly Entry<T>[] {
    return (this.byKey.get(key) ?? []).slice(0, limit);
  }

  /** Forgets the oldest `count` items of `key` (delivered or given up; the caller removes them from the log). */
  release(key: string, count: number): void {
    const queue = this.byKey.get(key);
    if (queue === undefined) return;
    for (const entry of queue.splice(0, count)) {
      this.items -= 1;
      this.bytes -= entry.size;
    }
    if (queue.length === 0) this.byKey.delete(key);
  }

  /** Forgets the given items wherever they are (dropped at the queue's bound; none of them is being sent). */
  drop(seqs: ReadonlySet<number>): void {
    for (const [key, queue] of this.byKey) {
      const kept = queue.filter((entry) => !seqs.has(entry.seq));
      if (kept.length === queue.length) continue;
      for (const entry of queue) {
        if (!seqs.has(entry.seq)) continue;
        this.items -= 1;
        this.bytes -= entry.size;
      }
      if (kept.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, kept);
    }
  }
}
