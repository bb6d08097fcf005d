import type { SchedulerLike, Subscription } from 'rxjs';

/** Something with a planned start: the wheel calls `tick` with the time it was planned for. */
export interface Tickable {
  tick(planned: number): void;
}

interface Slot {
  readonly at: number;
  /** Orders slots of one time first come, first served; also tells a slot still live from one withdrawn. */
  readonly seq: number;
  readonly item: Tickable;
}

/**
 * Every target's next planned start on one scheduler action, armed for the earliest. A
 * timer per target would cost Node a timer callback and a re-armed timer per start; here the
 * targets due at one time share one callback. Slots sit in a binary heap ordered by time,
 * then by arrival; a withdrawn slot stays in the heap until its time and is skipped there.
 */
export class TickWheel {
  private readonly heap: Slot[] = [];
  /** The live slot of each item (its seq); an item has at most one. */
  private readonly live = new Map<Tickable, number>();
  private seq = 0;
  private action: Subscription | undefined;
  private armedAt = Infinity;
  private stopped = false;

  constructor(private readonly scheduler: SchedulerLike) {}

  /**
   * Plans `item`'s next tick at `at`, replacing the one it had. Ignored once stopped: a tick
   * whose check made a subscriber unsubscribe still plans its next start on the way out.
   */
  add(item: Tickable, at: number): void {
    if (this.stopped) return;
    const seq = ++this.seq;
    this.live.set(item, seq);
    this.push({ at, seq, item });
    this.arm();
  }

  withdraw(item: Tickable): void {
    this.live.delete(item);
  }

  stop(): void {
    this.stopped = true;
    this.action?.unsubscribe();
    this.action = undefined;
    this.heap.length = 0;
    this.live.clear();
  }

  private fire(): void {
    this.action = undefined;
    this.armedAt = Infinity;
    const now = this.scheduler.now();
    for (let slot = this.heap[0]; slot !== undefined && slot.at <= now; slot = this.heap[0]) {
      this.pop();
      if (this.live.get(slot.item) !== slot.seq) continue;
      this.live.delete(slot.item);
      slot.item.tick(slot.at);
    }
    this.arm();
  }

  private arm(): void {
    const top = this.heap[0];
    if (top === undefined || top.at >= this.armedAt) return;
    this.action?.unsubscribe();
    this.armedAt = top.at;
    this.action = this.scheduler.schedule(() => this.fire(), Math.max(0, top.at - this.scheduler.now()));
  }

  private push(slot: Slot): void {
    const heap = this.heap;
    let i = heap.push(slot) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(slot, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = slot;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Slot, b: Slot): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
