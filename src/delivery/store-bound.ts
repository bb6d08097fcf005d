import type { AppendLog } from '../component/storage.js';

/**
 * How much of what a queue holds (memory and store together) it may keep; past it the oldest
 * items go, counted `dropped` with reason `queue_full`: those not being sent at once, those
 * being sent when their send fails (see `StoreLedger.overflow`). For data that
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
  /** Given up to the bound while being sent: dropped if the send fails, delivered if it succeeds. */
  doomed: boolean;
}

/** What `overflow` found over the bound. */
export interface Overflow {
  /** Records to drop now (not being sent), oldest first; the ledger forgot them. */
  readonly dropped: number[];
  /** Their total weight. */
  readonly weight: number;
  /** Records being sent, now doomed: they leave the bound at once and the log when their send ends. */
  readonly doomed: number[];
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
  /** Of the totals, what doomed records hold: still in the log, no longer under the bound. */
  private doomedWeight = 0;
  private doomedBytes = 0;

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
      this.forget(seq, held);
    }
  }

  /** Whether a record was given up to the bound while being sent. */
  isDoomed(seq: number): boolean {
    return this.held.get(seq)?.doomed ?? false;
  }

  /** All the log holds, doomed records included until their send ends. */
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
   * Brings what the bound counts back under it, oldest first. A record that `busy` says is
   * being sent is not dropped under its send but doomed: it stops counting at once, so newer
   * records are not dropped in its place, and the queue drops it if the send fails. Records
   * not being sent are dropped (and forgotten) here.
   */
  overflow(bound: { maxWeight: number; maxBytes: number }, busy: (seq: number) => boolean): Overflow {
    const dropped: number[] = [];
    const doomed: number[] = [];
    let weight = 0;
    const over = (): boolean =>
      this.totalWeight - this.doomedWeight > bound.maxWeight || this.totalBytes - this.doomedBytes > bound.maxBytes;
    // Checked before iterating: a Map's iteration walks past the entries deleted at its front.
    if (!over()) return { dropped, weight, doomed };
    for (const [seq, held] of this.held) {
      if (!over()) break;
      if (held.doomed) continue;
      if (busy(seq)) {
        held.doomed = true;
        this.doomedWeight += held.weight;
        this.doomedBytes += held.size;
        doomed.push(seq);
        continue;
      }
      dropped.push(seq);
      weight += held.weight;
      this.forget(seq, held);
    }
    return { dropped, weight, doomed };
  }

  private add(seq: number, weight: number, size: number): void {
    this.held.set(seq, { weight, size, doomed: false });
    this.totalWeight += weight;
    this.totalBytes += size;
  }

  private forget(seq: number, held: Held): void {
    this.held.delete(seq);
    this.totalWeight -= held.weight;
    this.totalBytes -= held.size;
    if (held.doomed) {
      this.doomedWeight -= held.weight;
      this.doomedBytes -= held.size;
    }
  }
}
