import type { Series } from '../../src/index.js';

/**
 * The running figures of one series in one window: a handful of numbers whatever the number
 * of points, so memory per series stays constant.
 */
export class WindowAccumulator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  last = 0;
  lastTime = -Infinity;
  /**
   * The note (`MetricPoint.message`) of the newest point that had one, carried onto the
   * window's figures. One reference: a note that arrives stamped before the newest point
   * is older news and is not kept (no second time field per series for that rare case).
   */
  message: string | undefined = undefined;

  constructor(
    public start: number,
    /** The series' next open window, later than this one (only with grace or future-stamped points). */
    public next: WindowAccumulator | undefined = undefined,
  ) {}

  add(value: number, time: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // `>=`: of two points with the same time, the one that arrived later wins.
    if (time >= this.lastTime) {
      this.last = value;
      this.lastTime = time;
    }
  }

  reset(start: number): void {
    this.start = start;
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.last = 0;
    this.lastTime = -Infinity;
    this.message = undefined;
  }
}

/**
 * Everything the window keeps for one series: its open windows, oldest first. Usually one;
 * more only while a grace period keeps an older window open or points arrive stamped ahead
 * of the scheduler's clock.
 */
export class SeriesState {
  head: WindowAccumulator;
  /** The output series, one per configured aggregate; derived on first emission. */
  outputs: readonly Series[] | undefined;

  constructor(
    public series: Series,
    start: number,
  ) {
    this.head = new WindowAccumulator(start);
  }

  /**
   * Takes the newest Series object of the same key (a restarted receiver's): the output
   * then carries the resource as it is now, e.g. the new process's PID.
   */
  adopt(series: Series): void {
    this.series = series;
    this.outputs = undefined;
  }

  /** Derives the output series once; `with` memoises them on the input series as well. */
  deriveOutputs(aggregates: readonly string[]): readonly Series[] {
    const outputs = aggregates.map((name) => this.series.with('aggregate', name, 'gauge'));
    this.outputs = outputs;
    return outputs;
  }

  /** True when the series has no point in any open window. */
  get idle(): boolean {
    return this.head.count === 0;
  }

  /** The accumulator of window `start`; the slow path when it is not the head. */
  windowFor(start: number): WindowAccumulator {
    if (this.head.count === 0) {
      // An emptied head is reused rather than reallocated every window.
      this.head.reset(start);
      return this.head;
    }
    let previous: WindowAccumulator | undefined;
    let current: WindowAccumulator | undefined = this.head;
    while (current !== undefined && current.start < start) {
      previous = current;
      current = current.next;
    }
    if (current !== undefined && current.start === start) return current;
    const created = new WindowAccumulator(start, current);
    if (previous === undefined) this.head = created;
    else previous.next = created;
    return created;
  }

  /** The accumulator of window `start` if the series had points in it. */
  find(start: number): WindowAccumulator | undefined {
    for (let current: WindowAccumulator | undefined = this.head; current !== undefined; current = current.next) {
      if (current.start === start) return current.count > 0 ? current : undefined;
      if (current.start > start) return undefined;
    }
    return undefined;
  }

  /** Forgets a closed window; the last accumulator is kept, emptied, for the next window. */
  release(window: WindowAccumulator): void {
    if (window === this.head) {
      if (window.next === undefined) window.reset(Number.NaN);
      else this.head = window.next;
      return;
    }
    for (let current = this.head; current.next !== undefined; current = current.next) {
      if (current.next === window) {
        current.next = window.next;
        return;
      }
    }
  }
}
