import { Resource, SeriesSet, type Series } from '../../src/index.js';
import { CounterPane, type CounterReading } from './counter.js';
import type { QuantileSketch } from './sketch.js';

// Where each running figure of a pane sits in `PaneStore.figures`, from the pane's `at`.
export const START = 0;
export const COUNT = 1;
export const SUM = 2;
export const MIN = 3;
export const MAX = 4;
export const LAST = 5;
export const LAST_TIME = 6;
const STRIDE = 7;

/**
 * One series' slice of event time `every` long: a tumbling window is one pane; a sliding
 * window merges its panes when it closes, so a point is added once, to its pane, however many
 * windows it belongs to. Its running figures (start, count, sum, min, max, last, the last
 * point's time) are not fields but seven doubles in its store's `figures` from `at`: a double
 * field would be a heap number of its own (16 B beside the 8 B reference, and a cache line
 * apart), in a packed double array it is 8 B beside the pane's other figures.
 */
export class Pane {
  /**
   * The note (`MetricPoint.message`) of the newest point that had one, carried onto the
   * window's figures. One reference: a note that arrives stamped before the newest point
   * is older news and is not kept (no second time field per series for that rare case).
   */
  message: string | undefined = undefined;

  constructor(
    /** Where the pane's figures start in its store's `figures`; the pane's for its whole life. */
    readonly at: number,
    /** The series' next pane, later than this one (sliding windows, grace, future-stamped points). */
    public next: Pane | undefined = undefined,
  ) {}
}

/**
 * A pane that also keeps a counter's readings (`rate`) or a quantile sketch: only windows
 * asked for one of those pay for the two fields.
 */
export class PaneWithExtras extends Pane {
  /** A monotonic counter's readings, for `rate`; only when `rate` is asked for. */
  counter: CounterPane | undefined = undefined;
  /** The values' quantile sketch; only when a quantile is asked for. */
  sketch: QuantileSketch | undefined = undefined;
}

/**
 * The panes of one window state (one subscription): their figures in one packed array of
 * doubles, and the panes no series uses at the moment, for reuse. A pane keeps its slot for
 * life; a slot goes back to `free` when its pane is dropped. The array never shrinks: it is
 * bounded by the most panes live at once (series × panes per window, plus spares).
 */
export class PaneStore {
  readonly figures: number[];
  /** Slots of dropped panes, for the next new pane. */
  private readonly free: number[] = [];
  /** Released panes for reuse, trimmed to at most one per live series at each close. */
  private readonly spare: Pane[] = [];

  constructor(private readonly extras: boolean) {
    // Made from a double so the array holds unboxed doubles from its first element on.
    const figures = [0.5];
    figures.length = 0;
    this.figures = figures;
  }

  /** An empty pane starting at `start`: a spare one when there is one. */
  take(start: number): Pane {
    const spare = this.spare.pop();
    if (spare !== undefined) {
      this.reset(spare, start);
      return spare;
    }
    let at = this.free.pop();
    if (at === undefined) {
      const figures = this.figures;
      at = figures.length;
      for (let k = 0; k < STRIDE; k++) figures.push(0);
    }
    const pane = this.extras ? new PaneWithExtras(at) : new Pane(at);
    this.reset(pane, start);
    return pane;
  }

  /**
   * Keeps a pane no series uses any more for reuse: a sliding window's panes live for several
   * closes, and objects that survive that long cost the garbage collector more than reusing them.
   */
  putBack(pane: Pane): void {
    pane.next = undefined;
    this.spare.push(pane);
  }

  /** Drops spares beyond `limit`: after churn they would be memory no series uses. */
  trimSpares(limit: number): void {
    const spare = this.spare;
    while (spare.length > limit) this.free.push(spare.pop()!.at);
  }

  start(pane: Pane): number {
    return this.figures[pane.at + START]!;
  }

  count(pane: Pane): number {
    return this.figures[pane.at + COUNT]!;
  }

  lastTime(pane: Pane): number {
    return this.figures[pane.at + LAST_TIME]!;
  }

  add(pane: Pane, value: number, time: number): void {
    const figures = this.figures;
    const at = pane.at;
    figures[at + COUNT]!++;
    figures[at + SUM]! += value;
    if (value < figures[at + MIN]!) figures[at + MIN] = value;
    if (value > figures[at + MAX]!) figures[at + MAX] = value;
    // `>=`: of two points with the same time, the one that arrived later wins.
    if (time >= figures[at + LAST_TIME]!) {
      figures[at + LAST] = value;
      figures[at + LAST_TIME] = time;
    }
  }

  addReading(pane: PaneWithExtras, value: number, time: number, startTime: number | undefined): void {
    if (pane.counter === undefined) pane.counter = new CounterPane(value, time, startTime);
    else pane.counter.add(value, time, startTime);
  }

  /** Adds the figures of a pane of the same series to `into` (all but the sketch and the counter, merged by the caller). */
  merge(into: Pane, pane: Pane): void {
    const figures = this.figures;
    const to = into.at;
    const from = pane.at;
    figures[to + COUNT]! += figures[from + COUNT]!;
    figures[to + SUM]! += figures[from + SUM]!;
    if (figures[from + MIN]! < figures[to + MIN]!) figures[to + MIN] = figures[from + MIN]!;
    if (figures[from + MAX]! > figures[to + MAX]!) figures[to + MAX] = figures[from + MAX]!;
    if (figures[from + LAST_TIME]! >= figures[to + LAST_TIME]!) {
      figures[to + LAST] = figures[from + LAST]!;
      figures[to + LAST_TIME] = figures[from + LAST_TIME]!;
    }
    // Panes are merged oldest first: the newest pane with a note has the newest note.
    if (pane.message !== undefined) into.message = pane.message;
  }

  reset(pane: Pane, start: number): void {
    const figures = this.figures;
    const at = pane.at;
    figures[at + START] = start;
    figures[at + COUNT] = 0;
    figures[at + SUM] = 0;
    figures[at + MIN] = Infinity;
    figures[at + MAX] = -Infinity;
    figures[at + LAST] = 0;
    figures[at + LAST_TIME] = -Infinity;
    pane.message = undefined;
    if (pane instanceof PaneWithExtras) {
      pane.counter = undefined;
      // The sketch is kept, emptied: a pane is reused for the series' next pane.
      pane.sketch?.clear();
    }
  }
}

/** The series of a forgotten state: no point carries it. */
const FORGOTTEN: Series = new SeriesSet(new Resource({})).get({ name: 'forgotten', unit: '1', kind: 'gauge' });

/**
 * Everything the window keeps for one series: its panes, oldest first. One for a tumbling
 * window (more only while a grace period keeps an older window open or points arrive stamped
 * ahead of the scheduler's clock); up to size / every + 1 for a sliding one.
 */
export class SeriesState {
  head: Pane;
  /**
   * The state of the series whose point came right after this one's last time: receivers
   * send their series in the same order at every scrape, so the next point's state is
   * mostly found here, without a map lookup. Only a hint: checked against the point's series.
   */
  follower: SeriesState | undefined = undefined;

  constructor(
    public series: Series,
    start: number,
    store: PaneStore,
  ) {
    this.head = store.take(start);
  }

  /**
   * Takes the newest Series object of the same key (a restarted receiver's): the output
   * then carries the resource as it is now, e.g. the new process's PID.
   */
  adopt(series: Series): void {
    this.series = series;
  }

  /** True when the series has no point in any pane. */
  idle(store: PaneStore): boolean {
    return store.count(this.head) === 0;
  }

  /** The pane `start`; the slow path when it is not the head. */
  paneFor(start: number, store: PaneStore): Pane {
    if (store.count(this.head) === 0) {
      // An emptied head is reused rather than reallocated every pane.
      store.reset(this.head, start);
      return this.head;
    }
    let previous: Pane | undefined;
    let current: Pane | undefined = this.head;
    while (current !== undefined && store.start(current) < start) {
      previous = current;
      current = current.next;
    }
    if (current !== undefined && store.start(current) === start) return current;
    const created = store.take(start);
    created.next = current;
    if (previous === undefined) this.head = created;
    else previous.next = created;
    return created;
  }

  /** The pane `start` if the series had points in it. */
  find(start: number, store: PaneStore): Pane | undefined {
    for (let current: Pane | undefined = this.head; current !== undefined; current = current.next) {
      const currentStart = store.start(current);
      if (currentStart === start) return store.count(current) > 0 ? current : undefined;
      if (currentStart > start) return undefined;
    }
    return undefined;
  }

  /** Forgets a pane no window needs any more; the last pane is kept, emptied, for the next, others go back to the store. */
  release(pane: Pane, store: PaneStore): void {
    if (pane === this.head) {
      if (pane.next === undefined) return store.reset(pane, Number.NaN);
      this.head = pane.next;
    } else {
      let current = this.head;
      while (current.next !== undefined && current.next !== pane) current = current.next;
      if (current.next !== pane) return;
      current.next = pane.next;
    }
    store.putBack(pane);
  }

  /** Forgets every pane that starts before `limit` (a sliding window moved past them), oldest first. */
  releaseBefore(limit: number, store: PaneStore): void {
    while (store.count(this.head) > 0 && store.start(this.head) < limit) this.release(this.head, store);
  }

  /**
   * Gives every pane back to the store: the state is forgotten. Another state's `follower`
   * may still point here: the series becomes one no point carries, so the hint misses, and
   * the forgotten series is not kept alive by it.
   */
  forget(store: PaneStore): void {
    let pane: Pane | undefined = this.head;
    while (pane !== undefined) {
      const next: Pane | undefined = pane.next;
      store.putBack(pane);
      pane = next;
    }
    this.series = FORGOTTEN;
    this.follower = undefined;
  }
}

/**
 * A series state for a window asked for `rate` or for many aggregates: only those pay for
 * these fields.
 */
export class SeriesStateWithExtras extends SeriesState {
  /** A monotonic sum: the only kind `rate` is defined for. */
  readonly counter: boolean;
  /** The last reading of the newest released pane: where the next window's increase starts (`rate`). */
  baseline: CounterReading | undefined = undefined;
  /**
   * The output series, one per aggregate, for many aggregates (quantiles): past 8 derived
   * series `Series.with` keeps them in a map and each lookup would build a string.
   */
  outputs: readonly Series[] | undefined = undefined;

  constructor(series: Series, start: number, store: PaneStore) {
    super(series, start, store);
    this.counter = series.kind === 'sum' && series.monotonic;
  }

  override adopt(series: Series): void {
    super.adopt(series);
    this.outputs = undefined;
  }

  /** Panes are released oldest first, so the last one released holds the newest reading. */
  override release(pane: Pane, store: PaneStore): void {
    const counter = (pane as PaneWithExtras).counter;
    if (counter !== undefined) this.baseline = { value: counter.last, startTime: counter.lastStart };
    super.release(pane, store);
  }
}
