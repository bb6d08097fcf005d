/**
 * The keys that have something due, earliest first: a binary heap with lazy removal. A
 * key's due time changes by pushing it again; the entry left behind is stale, and `popDue`
 * skips it by asking `currentDue`. One heap and one timer for every alert, rather than a
 * timer each: scheduling is O(log n), and a virtual-time scheduler (tests, benches), which
 * sorts its whole action list on each schedule, stays fast.
 */
export class DueQueue {
  private dues: number[] = [];
  private keys: string[] = [];

  constructor(
    /** The key's due time now; an entry with any other time is stale. */
    private readonly currentDue: (key: string) => number | undefined,
  ) {}

  get size(): number {
    return this.dues.length;
  }

  push(key: string, due: number): void {
    this.dues.push(due);
    this.keys.push(key);
    this.up(this.dues.length - 1);
  }

  /** The earliest due time of a live entry (stale entries at the top are dropped); Infinity when none. */
  peek(): number {
    while (this.dues.length > 0) {
      if (this.currentDue(this.keys[0]!) === this.dues[0]) return this.dues[0]!;
      this.removeTop();
    }
    return Infinity;
  }

  /** Takes out every key due at or before `now`, each once. */
  popDue(now: number): Set<string> {
    // A Set: a key whose due went A → B → A has two live entries.
    const due = new Set<string>();
    while (this.peek() <= now) {
      due.add(this.keys[0]!);
      this.removeTop();
    }
    return due;
  }

  /** Rebuilds from the live keys when stale entries outnumber them, so the heap stays bounded by the alerts. */
  compact(live: Iterable<[string, number]>, liveCount: number): void {
    if (this.dues.length <= 4 * liveCount + 1024) return;
    const entries = [...live].filter(([, due]) => due !== Infinity);
    this.dues = [];
    this.keys = [];
    for (const [key, due] of entries) this.push(key, due);
  }

  private removeTop(): void {
    const lastDue = this.dues.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.dues.length === 0) return;
    this.dues[0] = lastDue;
    this.keys[0] = lastKey;
    this.down(0);
  }

  private up(index: number): void {
    const { dues, keys } = this;
    const due = dues[index]!;
    const key = keys[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (dues[parent]! <= due) break;
      dues[index] = dues[parent]!;
      keys[index] = keys[parent]!;
      index = parent;
    }
    dues[index] = due;
    keys[index] = key;
  }

  private down(index: number): void {
    const { dues, keys } = this;
    const length = dues.length;
    const due = dues[index]!;
    const key = keys[index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && dues[child + 1]! < dues[child]!) child++;
      if (dues[child]! >= due) break;
      dues[index] = dues[child]!;
      keys[index] = keys[child]!;
      index = child;
    }
    dues[index] = due;
    keys[index] = key;
  }
}
