/**
 * What `rate` needs of one pane of a monotonic counter: its first and last readings (with
 * their start times) and the increase between its readings. Counted as Prometheus counts
 * `increase`: a reading below the one before it, or one with another start time (the
 * counter's process restarted), is a reset, and the new reading counts from zero.
 */
export class CounterPane {
  first: number;
  firstStart: number | undefined;
  last: number;
  lastTime: number;
  lastStart: number | undefined;
  increase = 0;

  constructor(value: number, time: number, startTime: number | undefined) {
    this.first = value;
    this.firstStart = startTime;
    this.last = value;
    this.lastTime = time;
    this.lastStart = startTime;
  }

  add(value: number, time: number, startTime: number | undefined): void {
    // A reading older than the newest says nothing about the increase since it.
    if (time < this.lastTime) return;
    this.increase += increaseBetween(this.last, this.lastStart, value, startTime);
    this.last = value;
    this.lastTime = time;
    this.lastStart = startTime;
  }
}

/** The reading a released pane left: the baseline of the next window's increase. */
export interface CounterReading {
  readonly value: number;
  readonly startTime: number | undefined;
}

/** The increase from one reading to the next: the difference, or the new value after a reset. */
export function increaseBetween(before: number, beforeStart: number | undefined, value: number, startTime: number | undefined): number {
  const restarted = startTime !== undefined && beforeStart !== undefined && startTime !== beforeStart;
  return restarted || value < before ? value : value - before;
}

/**
 * The increase over a window's panes, added oldest first, from the reading before the window
 * when one is remembered: the panes' own increases plus the step into each pane.
 */
export class WindowIncrease {
  total = 0;
  private hasBefore = false;
  private before = 0;
  private beforeStart: number | undefined = undefined;

  begin(baseline: CounterReading | undefined): void {
    this.total = 0;
    this.hasBefore = baseline !== undefined;
    this.before = baseline?.value ?? 0;
    this.beforeStart = baseline?.startTime;
  }

  add(pane: CounterPane): void {
    if (this.hasBefore) this.total += increaseBetween(this.before, this.beforeStart, pane.first, pane.firstStart);
    this.total += pane.increase;
    this.hasBefore = true;
    this.before = pane.last;
    this.beforeStart = pane.lastStart;
  }
}
