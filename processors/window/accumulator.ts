import type { Series } from '../../src/index.js';
import { CounterPane, type CounterReading } from './counter.js';
import type { QuantileSketch } from './sketch.js';

/**
 * The running figures of one series in one pane, a slice of event time `every` long: a
 * handful of numbers whatever the number of points, so memory per series stays constant. A
 * tumbling window is one pane; a sliding window merges its panes when it closes, so a point
 * is added once, to its pane, however many windows it belongs to.
 */
export class Pane {
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
  /** A monotonic counter's readings, for `rate`; only when `rate` is asked for. */
  counter: CounterPane | undefined = undefined;
  /** The values' quantile sketch; only when a quantile is asked for. */
  sketch: QuantileSketch | undefined = undefined;

  constructor(
    public start: number,
    /** The series' next pane, later than this one (sliding windows, grace, future-stamped points). */
    public next: Pane | undefined = undefined,
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

  addReading(value: number, time: number, startTime: number | undefined): void {
    if (this.counter === undefined) this.counter = new CounterPane(value, time, startTime);
    else this.counter.add(value, time, startTime);
  }

  /** Adds the figures of a pane of the same series (all but the sketch and the counter, merged by the caller). */
  merge(pane: Pane): void {
    this.count += pane.count;
    this.sum += pane.sum;
    if (pane.min < this.min) this.min = pane.min;
    if (pane.max > this.max) this.max = pane.max;
    if (pane.lastTime >= this.lastTime) {
      this.last = pane.last;
      this.lastTime = pane.lastTime;
    }
    // Panes are merged oldest first: the newest pane with a note has the newest note.
    if (pane.message !== undefined) this.message = pane.message;
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
    this.counter = undefined;
    // The sketch is kept, emptied: a pane is reused for the series' next pane.
    this.sketch?.clear();
  }
}

/**
 * Everything the window keeps for one series: its panes, oldest first. One for a tumbling
 * window (more only while a grace period keeps an older window open or points arrive stamped
 * ahead of the scheduler's clock); up to size / every + 1 for a sliding one.
 */
export class SeriesState {
  head: Pane;
  /** The last reading of the newest released pane: where the next window's increase starts (`rate`). */
  baseline: CounterReading | undefined = undefined;
  /** A monotonic sum: the only kind `rate` is defined for. */
  readonly counter: boolean;

  constructor(
    public series: Series,
    start: number,
  ) {
    this.head = new Pane(start);
    this.counter = series.kind === 'sum' && series.monotonic;
  }

  /**
   * Takes the newest Series object of the same key (a restarted receiver's): the output
   * then carries the resource as it is now, e.g. the new process's PID.
   */
  adopt(series: Series): void {
    this.series = series;
  }

  /** True when the series has no point in any pane. */
  get idle(): boolean {
    return this.head.count === 0;
  }

  /** The pane `start`; the slow path when it is not the head. A new pane comes from `spare` when it has one. */
  paneFor(start: number, spare: Pane[]): Pane {
    if (this.head.count === 0) {
      // An emptied head is reused rather than reallocated every pane.
      this.head.reset(start);
      return this.head;
    }
    let previous: Pane | undefined;
    let current: Pane | undefined = this.head;
    while (current !== undefined && current.start < start) {
      previous = current;
      current = current.next;
    }
    if (current !== undefined && current.start === start) return current;
    const created = spare.pop() ?? new Pane(start);
    created.reset(start);
    created.next = current;
    if (previous === undefined) this.head = created;
    else previous.next = created;
    return created;
  }

  /** The pane `start` if the series had points in it. */
  find(start: number): Pane | undefined {
    for (let current: Pane | undefined = this.head; current !== undefined; current = current.next) {
      if (current.start === start) return current.count > 0 ? current : undefined;
      if (current.start > start) return undefined;
    }
    return undefined;
  }

  /**
   * Forgets a pane no window needs any more; the last pane is kept, emptied, for the next,
   * others go to `spare` for reuse: a sliding window's panes live for several closes, and
   * objects that survive that long cost the garbage collector more than reusing them.
   */
  release(pane: Pane, spare: Pane[]): void {
    const counter = pane.counter;
    // Panes are released oldest first, so the last one released holds the newest reading.
    if (counter !== undefined) this.baseline = { value: counter.last, startTime: counter.lastStart };
    if (pane === this.head) {
      if (pane.next === undefined) return pane.reset(Number.NaN);
      this.head = pane.next;
    } else {
      let current = this.head;
      while (current.next !== undefined && current.next !== pane) current = current.next;
      if (current.next !== pane) return;
      current.next = pane.next;
    }
    pane.next = undefined;
    spare.push(pane);
  }

  /** Forgets every pane that starts before `limit` (a sliding window moved past them), oldest first. */
  releaseBefore(limit: number, spare: Pane[]): void {
    while (this.head.count > 0 && this.head.start < limit) this.release(this.head, spare);
  }
}

/**
 * A series state that keeps its output series in a list: for many aggregates (quantiles),
 * where `Series.with` keeps its derived series in a map and each lookup would build a string.
 * Few aggregates find theirs in `with`'s short list, and the list here would cost ≈ 90 B
 * per series of the 1 KiB budget.
 */
export class SeriesStateWithOutputs extends SeriesState {
  outputs: readonly Series[] | undefined = undefined;

  override adopt(series: Series): void {
    super.adopt(series);
    this.outputs = undefined;
  }
}
