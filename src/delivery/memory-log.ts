import type { AppendLog, LogRecord } from '../component/storage.js';

/**
 * An append log that lives in memory only: for a queue that need not survive a restart (the
 * `otlp` exporter without `disk_queue`), where a SQLite write per request would be spent for
 * nothing. Values are kept as given, not copied through JSON: the caller hands over plain
 * data it no longer changes. `sizeOf` stands in for the stored JSON's length (the queue's
 * memory and bound measure); by default it is that length.
 */
export class MemoryAppendLog implements AppendLog {
  /** Records in sequence order; removal leaves holes that `compact` closes. */
  private records: Array<LogRecord | undefined> = [];
  /** Index in `records` of the first slot that may still hold a record. */
  private head = 0;
  private live = 0;
  private lastSeq = 0;

  constructor(private readonly sizeOf: (value: unknown) => number = (value) => JSON.stringify(value).length) {}

  append(values: readonly unknown[], time: number): number[] {
    const seqs: number[] = [];
    for (const value of values) {
      this.lastSeq += 1;
      this.records.push({ seq: this.lastSeq, time, value, size: this.sizeOf(value) });
      this.live += 1;
      seqs.push(this.lastSeq);
    }
    return seqs;
  }

  read<T = unknown>(afterSeq = 0, limit = -1): Array<LogRecord<T>> {
    const found: Array<LogRecord<T>> = [];
    for (let index = this.firstAfter(afterSeq); index < this.records.length; index += 1) {
      if (limit >= 0 && found.length >= limit) break;
      const record = this.records[index];
      if (record !== undefined) found.push(record as LogRecord<T>);
    }
    return found;
  }

  ack(seq: number): void {
    for (let index = this.head; index < this.records.length; index += 1) {
      const record = this.records[index];
      if (record === undefined) continue;
      if (record.seq > seq) break;
      this.records[index] = undefined;
      this.live -= 1;
    }
    this.compact();
  }

  remove(seqs: readonly number[]): void {
    for (const seq of seqs) {
      const index = this.indexOf(seq);
      if (index === undefined) continue;
      this.records[index] = undefined;
      this.live -= 1;
    }
    this.compact();
  }

  size(): number {
    return this.live;
  }

  trim(max: number): number {
    let dropped = 0;
    for (let index = this.head; index < this.records.length && this.live > Math.max(0, Math.floor(max)); index += 1) {
      if (this.records[index] === undefined) continue;
      this.records[index] = undefined;
      this.live -= 1;
      dropped += 1;
    }
    this.compact();
    return dropped;
  }

  /** Sequence numbers grow by one per append, so a record's slot is found by binary search over the live part. */
  private indexOf(seq: number): number | undefined {
    let low = this.head;
    let high = this.records.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.seqAt(middle);
      if (found === seq) return this.records[middle] === undefined ? undefined : middle;
      if (found < seq) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The first slot whose record comes after `afterSeq`. */
  private firstAfter(afterSeq: number): number {
    let low = this.head;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqAt(middle) <= afterSeq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The sequence number a slot holds or held: slots are never reordered, and seq = slot + offset. */
  private seqAt(index: number): number {
    return this.lastSeq - (this.records.length - 1 - index);
  }

  /** Forgets the removed slots at the front, and now and then rebuilds the array to release them. */
  private compact(): void {
    while (this.head < this.records.length && this.records[this.head] === undefined) this.head += 1;
    if (this.head === this.records.length) {
      this.records = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }
}
