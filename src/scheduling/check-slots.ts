/**
 * The bound on checks in flight across one receiver. A check gets a slot at once or waits in a
 * first-come, first-served queue. A target has at most one check running or waiting, so the
 * queue holds one place per target at most and a slow target cannot crowd out the others.
 */
export class CheckSlots<W> {
  private inUse = 0;
  /** A Set keeps insertion order and lets a removed target leave the queue in O(1). */
  private readonly waiting = new Set<W>();
  private draining = false;

  constructor(
    private readonly limit: number,
    /** Starts `waiter`'s check in the slot just granted; `waited` tells whether it queued first. */
    private readonly start: (waiter: W, waited: boolean) => void,
  ) {}

  /** Starts the check now if a slot is free and nobody waits before it; else queues it. */
  request(waiter: W): void {
    if (this.inUse < this.limit && this.waiting.size === 0) {
      this.inUse++;
      this.start(waiter, false);
    } else {
      this.waiting.add(waiter);
    }
  }

  /** A check ended: its slot goes to the first in the queue. */
  release(): void {
    this.inUse--;
    this.drain();
  }

  /** Takes a waiter out of the queue (its target left). */
  withdraw(waiter: W): void {
    this.waiting.delete(waiter);
  }

  /** Empties the queue when the schedule stops, so releases that follow start nothing. */
  clear(): void {
    this.waiting.clear();
  }

  /** Not re-entered: a check that ends inside `start` releases its slot to this same loop. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (const waiter of this.waiting) {
        if (this.inUse >= this.limit) break;
        this.waiting.delete(waiter);
        this.inUse++;
        this.start(waiter, true);
      }
    } finally {
      this.draining = false;
    }
  }
}
