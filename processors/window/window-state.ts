import type { SchedulerLike, Subscriber } from 'rxjs';
import { SubscriberTimer, staleMarker } from '../../src/index.js';
import type { MetricBatch, MetricPoint, Series } from '../../src/index.js';
import { LAST_TIME, PaneStore, PaneWithExtras, SeriesState, SeriesStateWithExtras, type Pane } from './accumulator.js';
import { aggregateValue, isQuantile, type Aggregate } from './aggregates.js';
import { WindowIncrease } from './counter.js';
import { QuantileSketch, SketchMapping } from './sketch.js';

/** Up to this many aggregates, `Series.with` finds an output series in a short list (a map, and a string built per lookup, past 8). */
const OUTPUTS_FOUND_BY_WITH = 6;

/** Why a point was not counted in any window. */
export type WindowDropReason = 'late' | 'max_series' | 'not_a_number' | 'histogram';

export interface WindowSettings {
  /** Window length, ms: a whole multiple of `every`. */
  readonly size: number;
  /** Pane length and step between window ends, ms; `size` for tumbling windows. */
  readonly every: number;
  readonly grace: number;
  readonly aggregates: readonly Aggregate[];
  readonly relativeAccuracy: number;
  readonly maxSeries: number;
  readonly scheduler: SchedulerLike;
  readonly onDrop: ((reason: WindowDropReason, count: number) => void) | undefined;
  /** A series that is not a monotonic counter reached a window asked for `rate`: it gets no rate figure. */
  readonly onRateOfNonCounter: ((series: Series) => void) | undefined;
}

/**
 * The windows and series of one subscription. A class rather than closures in the operator
 * so the hot methods are compiled once for every subscriber, not warmed up again for each.
 *
 * Event time is cut into panes `every` long, aligned to multiples of it since the epoch; a
 * point is added to its pane only. When the clock reaches a pane's end (plus grace) the
 * window ending there closes: for tumbling windows that pane, for sliding ones the last
 * size / every panes merged. Panes no window needs any more are released.
 */
export class WindowState {
  /**
   * Keyed by `series.key`, the series' content, not by the object: a receiver restarted by
   * its hub or a reload makes new Series objects, and their points must join the same
   * window instead of opening a second one beside it.
   */
  private readonly states = new Map<string, SeriesState>();
  /**
   * The same states by the Series object each last came with: the per-point lookup, since
   * an object key is found about twice as fast as a string. One entry per state.
   */
  private readonly statesBySeries = new Map<Series, SeriesState>();
  /** Starts of the panes whose closing ends a window that may hold points, ascending. */
  private readonly openStarts: number[] = [];
  private readonly timer: SubscriberTimer;
  /** Panes per window: 1 for tumbling windows. */
  private readonly panes: number;
  private readonly tracksRate: boolean;
  private readonly sketches: boolean;
  /** Past this many aggregates, each series keeps a list of its output series (see SeriesStateWithExtras). */
  private readonly listsOutputs: boolean;
  /** Series states and panes with the fields of `rate` and quantiles; without, they are smaller. */
  private readonly extras: boolean;
  /** Every pane's running figures, and the spare panes. */
  private readonly store: PaneStore;
  /** A sliding window's panes merged at its close; reused for every series. */
  private readonly merged: Pane;
  private readonly increase = new WindowIncrease();
  private readonly mapping: SketchMapping;
  // The pane the previous point fell into: consecutive points mostly share it, so the hot
  // path is two comparisons instead of a division. Always an open pane: closing forgets it.
  private cachedStart = Infinity;
  private cachedEnd = -Infinity;

  constructor(
    private readonly settings: WindowSettings,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {
    this.timer = new SubscriberTimer(settings.scheduler, subscriber, () => this.onTimer());
    this.panes = settings.size / settings.every;
    this.tracksRate = settings.aggregates.includes('rate');
    this.sketches = settings.aggregates.some(isQuantile);
    this.listsOutputs = settings.aggregates.length > OUTPUTS_FOUND_BY_WITH;
    this.extras = this.tracksRate || this.sketches || this.listsOutputs;
    this.store = new PaneStore(this.extras);
    this.merged = this.store.take(Number.NaN);
    this.mapping = new SketchMapping(settings.relativeAccuracy);
  }

  get liveSeries(): number {
    return this.states.size;
  }

  get openWindows(): number {
    return this.openStarts.length;
  }

  get timerPending(): boolean {
    return this.timer.pending;
  }

  add(batch: MetricBatch): void {
    const { every, maxSeries } = this.settings;
    const mapping = this.mapping;
    const now = this.settings.scheduler.now();
    // The closed windows' figures go out after this batch's points are added, not before: a
    // subscriber downstream then no longer runs (and allocates) while the batch is half added.
    // Same instant, same order; a point of this batch cannot reach a window that closed.
    const closed = this.closeDue(now);
    const statesBySeries = this.statesBySeries;
    const store = this.store;
    const tracksRate = this.tracksRate;
    const sketches = this.sketches;
    let late = 0;
    let overflow = 0;
    let notANumber = 0;
    let histogram = 0;
    let left: MetricPoint[] | undefined;
    let previous: SeriesState | undefined;
    for (let i = 0; i < batch.length; i++) {
      const point = batch[i]!;
      const value = point.value;
      const time = point.time;
      // NaN would poison sum, mean, min and max of the whole window; a staleness marker is NaN too.
      if (value !== value) {
        if (point.stale === true) this.leave(point, (left ??= []));
        else notANumber++;
        continue;
      }
      let start = this.cachedStart;
      if (!(time >= start && time < this.cachedEnd)) {
        start = Math.floor(time / every) * every;
        if (this.isClosed(start, now)) {
          late++;
          continue;
        }
        this.openPane(start);
        this.cachedStart = start;
        this.cachedEnd = start + every;
      }
      let state = previous?.follower;
      if (state === undefined || state.series !== point.series) {
        state = statesBySeries.get(point.series);
        if (state === undefined) {
          // A histogram point's value is not one measurement: no figure of it would mean anything.
          if (point.series.kind === 'histogram') {
            histogram++;
            continue;
          }
          state = this.stateByKey(point.series, start, maxSeries);
          if (state === undefined) {
            overflow++;
            continue;
          }
        }
        if (previous !== undefined) previous.follower = state;
      }
      previous = state;
      let pane = state.head;
      if (store.start(pane) !== start) pane = state.paneFor(start, store);
      store.add(pane, value, time);
      if (tracksRate && (state as SeriesStateWithExtras).counter) store.addReading(pane as PaneWithExtras, value, time, point.startTime);
      if (sketches) ((pane as PaneWithExtras).sketch ??= new QuantileSketch(mapping)).add(value);
      const message = point.message;
      // `add` has moved lastTime to the newest point; a note stamped before it is older news.
      if (message !== undefined && time >= store.figures[pane.at + LAST_TIME]!) pane.message = message;
    }
    if (closed !== undefined) this.subscriber.next(closed);
    if (left !== undefined && left.length > 0 && !this.subscriber.closed) this.subscriber.next(left);
    const onDrop = this.settings.onDrop;
    if (onDrop === undefined) return;
    if (late > 0) onDrop('late', late);
    if (overflow > 0) onDrop('max_series', overflow);
    if (notANumber > 0) onDrop('not_a_number', notANumber);
    if (histogram > 0) onDrop('histogram', histogram);
  }

  /**
   * The series' source left (a staleness marker): the windows ending at each of its panes
   * not yet closed are closed early, their figures partial, then a marker goes out for each
   * output series, so `threshold` forgets them instead of waiting for `no_data`; its state is
   * dropped, and a later point of the series starts afresh. The markers go out even when the
   * window holds nothing of the series any more (expired after an idle window): what is
   * downstream may still hold it.
   */
  private leave(marker: MetricPoint, out: MetricPoint[]): void {
    const { every, aggregates } = this.settings;
    const state = this.statesBySeries.get(marker.series) ?? this.states.get(marker.series.key);
    const series = state?.series ?? marker.series;
    if (state !== undefined) {
      const now = this.settings.scheduler.now();
      const store = this.store;
      for (let pane: Pane | undefined = state.head; pane !== undefined; pane = pane.next) {
        if (store.count(pane) > 0 && !this.isClosed(store.start(pane), now)) this.appendWindow(out, state, store.start(pane) + every, true, out.length);
      }
      this.forget(state);
    }
    for (const aggregate of aggregates) out.push(staleMarker(outputOf(series, aggregate), marker.time));
  }

  /**
   * The state of a Series object seen for the first time: a new one, or that of an earlier
   * object with the same key (a restarted receiver's), which then follows the new object.
   * Undefined when `maxSeries` are live already.
   */
  private stateByKey(series: Series, start: number, maxSeries: number): SeriesState | undefined {
    const key = series.key;
    let state = this.states.get(key);
    if (state === undefined) {
      if (this.states.size >= maxSeries) return undefined;
      state = this.extras ? new SeriesStateWithExtras(series, start, this.store) : new SeriesState(series, start, this.store);
      this.states.set(key, state);
      if (this.tracksRate && !(state as SeriesStateWithExtras).counter) this.settings.onRateOfNonCounter?.(series);
    } else {
      this.statesBySeries.delete(state.series);
      state.adopt(series);
    }
    this.statesBySeries.set(series, state);
    return state;
  }

  /**
   * Emits, oldest first and in one batch, the window ending at each pane not yet closed, for
   * every series with points in that pane: the source has completed (the pipeline stops or
   * restarts). The windows have not reached their end, so their figures are marked `partial`
   * and `threshold` does not act on them. Later windows of a sliding window would only hold
   * fewer of the same points. A series whose source left is flushed the same way, alone
   * (`leave`).
   */
  flush(): void {
    this.timer.cancel();
    const { every, aggregates } = this.settings;
    const starts = this.openStarts.splice(0, this.openStarts.length);
    const out = new Array<MetricPoint>(this.states.size * aggregates.length * starts.length);
    let filled = 0;
    for (const start of starts) {
      for (const state of this.states.values()) {
        if (state.find(start, this.store) !== undefined) filled = this.appendWindow(out, state, start + every, true, filled);
      }
    }
    out.length = filled;
    if (out.length > 0) this.subscriber.next(out);
  }

  dispose(): void {
    this.timer.cancel();
    this.states.clear();
    this.statesBySeries.clear();
    this.openStarts.length = 0;
  }

  /** Drops a series' state, its panes back to the store. */
  private forget(state: SeriesState): void {
    this.states.delete(state.series.key);
    this.statesBySeries.delete(state.series);
    state.forget(this.store);
  }

  private onTimer(): void {
    const closed = this.closeDue(this.settings.scheduler.now());
    if (closed !== undefined) this.subscriber.next(closed);
    if (!this.subscriber.closed) this.scheduleClose();
  }

  /** A pane is closed once the clock has reached its end plus grace: its points would be late. */
  private isClosed(start: number, now: number): boolean {
    return start + this.settings.every + this.settings.grace <= now;
  }

  /**
   * Closes every window whose end (plus grace) the clock has reached and returns their
   * figures, for the caller to emit when it is done (undefined if none). Runs from the timer,
   * and also before each batch, so results never depend on whether the timer or a point at
   * the same instant goes first, nor on how late a real timer fires.
   */
  private closeDue(now: number): MetricPoint[] | undefined {
    const openStarts = this.openStarts;
    let count = 0;
    while (count < openStarts.length && this.isClosed(openStarts[count]!, now)) count++;
    if (count === 0) return undefined;
    const batch = this.close(openStarts.splice(0, count));
    // Idle series still need one more closing to expire, even if no point opens a pane.
    if (openStarts.length === 0 && this.states.size > 0) this.open(Math.floor(now / this.settings.every) * this.settings.every);
    this.scheduleClose();
    return batch.length > 0 ? batch : undefined;
  }

  /**
   * The output of the windows ending at the closing panes' ends, oldest first; releases the
   * panes no later window needs and expires series without points in any pane. An expired
   * series has no point in any open window (that is what expiry means here), so it leaves
   * nothing to emit, partial or whole.
   */
  private close(starts: readonly number[]): MetricPoint[] {
    const { size, every, aggregates } = this.settings;
    const tumbling = this.panes === 1;
    // Sized for the most it can hold and trimmed after: growing a 50,000-point array by push
    // costs more than the few slots left unused.
    const out = new Array<MetricPoint>(this.states.size * aggregates.length * starts.length);
    let filled = 0;
    for (const start of starts) {
      if (start === this.cachedStart) {
        this.cachedStart = Infinity;
        this.cachedEnd = -Infinity;
      }
      const end = start + every;
      for (const state of this.states.values()) {
        const window = this.windowOf(state, end);
        if (window === undefined) {
          if (state.idle(this.store)) this.forget(state);
          continue;
        }
        filled = this.appendFigures(out, state, window, end, false, filled);
        if (tumbling) state.release(window, this.store);
        else state.releaseBefore(end + every - size, this.store);
      }
    }
    // Spares beyond one per live series would be memory no series uses after churn.
    this.store.trimSpares(this.states.size);
    out.length = filled;
    return out;
  }

  /**
   * Writes the figures of the series' window ending at `end` into `out` from `at`, if the
   * window holds points; returns where the next figure goes.
   */
  private appendWindow(out: MetricPoint[], state: SeriesState, end: number, partial: boolean, at: number): number {
    const window = this.windowOf(state, end);
    return window === undefined ? at : this.appendFigures(out, state, window, end, partial, at);
  }

  /** The figures of the series' window ending at `end`: its pane, or its panes merged; undefined without points. */
  private windowOf(state: SeriesState, end: number): Pane | undefined {
    return this.panes === 1 ? state.find(end - this.settings.every, this.store) : this.mergePanes(state, end);
  }

  private appendFigures(out: MetricPoint[], state: SeriesState, window: Pane, end: number, partial: boolean, at: number): number {
    const { aggregates } = this.settings;
    let rate = Number.NaN;
    let counter = false;
    let outputs: readonly Series[] | undefined;
    if (state instanceof SeriesStateWithExtras) {
      counter = state.counter;
      if (this.tracksRate && counter) rate = this.rateOf(state, end);
      if (this.listsOutputs) outputs = state.outputs ??= aggregates.map((aggregate) => outputOf(state.series, aggregate));
    }
    const sketch = window instanceof PaneWithExtras ? window.sketch : undefined;
    return appendFigures(out, state.series, outputs, aggregates, this.store.figures, window, sketch, rate, counter, end, partial, at);
  }

  /** The series' panes within [end − size, end) merged into one scratch pane; undefined when none holds a point. */
  private mergePanes(state: SeriesState, end: number): Pane | undefined {
    const from = end - this.settings.size;
    const merged = this.merged;
    const store = this.store;
    store.reset(merged, from);
    if (this.sketches) (merged as PaneWithExtras).sketch ??= new QuantileSketch(this.mapping);
    for (let pane: Pane | undefined = state.head; pane !== undefined && store.start(pane) < end; pane = pane.next) {
      if (store.count(pane) === 0 || store.start(pane) < from) continue;
      store.merge(merged, pane);
      const sketch = (pane as PaneWithExtras).sketch;
      if (sketch !== undefined) (merged as PaneWithExtras).sketch!.merge(sketch);
    }
    return store.count(merged) > 0 ? merged : undefined;
  }

  /**
   * The counter's increase over the window ending at `end` per second of the window: from
   * the last reading before the window (a released pane's, or a pane before it still held),
   * through every reading in it, resets counted from zero.
   */
  private rateOf(state: SeriesStateWithExtras, end: number): number {
    const from = end - this.settings.size;
    const increase = this.increase;
    const store = this.store;
    increase.begin(state.baseline);
    for (let pane: Pane | undefined = state.head; pane !== undefined && store.start(pane) < end; pane = pane.next) {
      const counter = (pane as PaneWithExtras).counter;
      if (counter === undefined) continue;
      if (store.start(pane) < from) increase.begin({ value: counter.last, startTime: counter.lastStart });
      else increase.add(counter);
    }
    return increase.total / (this.settings.size / 1000);
  }

  /** A pane with points: each of the size / every windows it belongs to must close. */
  private openPane(start: number): void {
    const every = this.settings.every;
    for (let k = 0; k < this.panes; k++) this.open(start + k * every);
  }

  private open(start: number): void {
    const openStarts = this.openStarts;
    let index = openStarts.length;
    while (index > 0 && openStarts[index - 1]! > start) index--;
    if (openStarts[index - 1] === start) return;
    openStarts.splice(index, 0, start);
    if (index === 0) this.scheduleClose();
  }

  private scheduleClose(): void {
    const first = this.openStarts[0];
    if (first === undefined) return this.timer.cancel();
    const due = first + this.settings.every + this.settings.grace;
    if (this.timer.pending && this.timer.due === due) return;
    this.timer.set(due);
  }
}

/**
 * The output series of one aggregate: a window's figure is a gauge whatever it was made
 * from (a counter's rate or last reading). Not cached per series state: `with` memoises it on
 * the input series already, and a second list per series cost ≈ 90 B of the 1 KiB budget.
 */
function outputOf(input: Series, aggregate: Aggregate): Series {
  return input.with('aggregate', aggregate, 'gauge');
}

/**
 * Writes one window's figures, one per aggregate, into `out` from `at`; returns where the
 * next goes. Stamped with the window's end, flagged when partial. A series that is not a
 * monotonic counter has no `rate` figure.
 */
function appendFigures(
  out: MetricPoint[],
  input: Series,
  outputs: readonly Series[] | undefined,
  aggregates: readonly Aggregate[],
  figures: readonly number[],
  window: Pane,
  sketch: QuantileSketch | undefined,
  rate: number,
  counter: boolean,
  end: number,
  partial: boolean,
  at: number,
): number {
  const message = window.message;
  const figuresAt = window.at;
  for (let k = 0; k < aggregates.length; k++) {
    const aggregate = aggregates[k]!;
    if (aggregate === 'rate' && !counter) continue;
    const series = outputs === undefined ? outputOf(input, aggregate) : outputs[k]!;
    const value = aggregateValue(aggregate, figures, figuresAt, sketch, rate);
    // Literals rather than a conditional spread: whole windows without a note, the hot
    // path, keep the one object shape every other point has.
    if (message === undefined) out[at++] = partial ? { series, value, time: end, partial: true } : { series, value, time: end };
    else out[at++] = partial ? { series, value, time: end, partial: true, message } : { series, value, time: end, message };
  }
  return at;
}
