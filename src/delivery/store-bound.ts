import type { AppendLog } from '../component/storage.js';

/**
 * How much of what a queue holds (memory and store together) it may keep; past it the oldest
 * items not being sent are dropped, counted `dropped` with reason `queue_full`. For data that
 * may be shed (metric points); the alert sinks have none: an alert is never dropped.
 */
export interface StoreBound<T> {
  /** Most weight kept (items, or what `weightOf` counts: an OTLP request's points). */
  readonly maxWeight?: number;
  /** Most bytes kept, as `sizeOf` measures them. */
  readonly maxBytes?: number;
  /** An item's size in bytes; by default the length of its JSON, as the store holds it. */
  readonly sizeOf?: (item: T) => number;
}

interface Held {
  readonly weight: number;
  readonly size: number;
}

/**
 * The weight and size of every record in a queue's log, oldest first, so a bounded queue
 * knows what it holds without reading the store, and which records to drop when over. One
 * entry per record: a queue of OTLP requests holds hundreds, not millions.
 */
export class StoreLedger<T> {
  /** By sequence number; a Map iterates in insertion order, which is log order. */
  private readonly held = new Map<number, Held>();
  private totalWeight = 0;
  private totalBytes = 0;

  constructor(
    private readonly weightOf: (item: T) => number,
    private readonly sizeOf: (item: T) => number,
  ) {}

  /** What the log already holds (after a restart), read once, in pages. */
  load(log: AppendLog): void {
    const PAGE = 256;
    for (let after = 0; ; ) {
      const records = log.read<T>(after, PAGE);
      for (const record of records) this.add(record.seq, this.weightOf(record.value), record.size);
      if (records.length < PAGE) return;
      after = records[records.length - 1]!.seq;
    }
  }

  appended(seqs: readonly number[], items: readonly T[]): void {
    seqs.forEach((seq, index) => {
      const item = items[index]!;
      this.add(seq, this.weightOf(item), this.sizeOf(item));
    });
  }

  removed(seqs: readonly number[]): void {
    for (const seq of seqs) {
      const held = this.held.get(seq);
      if (held === undefined) continue;
      this.held.delete(seq);
      this.totalWeight -= held.weight;
      this.totalBytes -= held.size;
    }
  }

  get weight(): number {
    return this.totalWeight;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get count(): number {
    return this.held.size;
  }

  get empty(): boolean {
    return this.held.size === 0;
  }

  /**
   * The oldest records to drop so the bound holds again, skipping those `busy` says are
   * being sent (they leave when their send ends); with their total weight. Forgets them.
   */
  overflow(bound: { maxWeight: number; maxBytes: number }, busy: (seq: number) => boolean): { seqs: number[]; weight: number } {
    const seqs: number[] = [];
    let weight = 0;
    // Checked before iterating: a Map's iteration walks past the entries deleted at its front.
    if (this.totalWeight <= bound.maxWeight && this.totalBytes <= bound.maxBytes) return { seqs, weight };
    for (const [seq, held] of this.held) {
      if (this.totalWeight <= bound.maxWeight && this.totalBytes <= bound.maxBytes) break;
      if (busy(seq)) continue;
      seqs.push(seq);
      weight += held.weight;
      this.held.delete(seq);
      this.totalWeight -= held.weight;
      this.totalBytes -= held.size;
    }
    return { seqs, weight };
  }

  private add(seq: number, weight: number, size: number): void {
    this.held.set(seq, { weight, size });
    this.totalWeight += weight;
    this.totalBytes += size;
  }
}
