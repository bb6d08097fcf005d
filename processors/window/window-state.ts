import type { SchedulerLike, Subscriber } from 'rxjs';
import { SubscriberTimer } from '../../src/component/subscriber-timer.js';
import { staleMarker, type MetricBatch, type MetricPoint } from '../../src/index.js';
import type { Series } from '../../src/model/series.js';
import { SeriesState, type WindowAccumulator } from './accumulator.js';
import { aggregateValue, type Aggregate } from './aggregates.js';

/** Why a point was not counted in any window. */
export type WindowDropReason = 'late' | 'max_series' | 'not_a_number';

export interface WindowSettings {
  readonly size: number;
  readonly grace: number;
  readonly aggregates: readonly Aggregate[];
  readonly maxSeries: number;
  readonly scheduler: SchedulerLike;
  readonly onDrop: ((reason: WindowDropReason, count: number) => void) | undefined;
}

/** How a window closes: at its end (the clock reached it) or early (flushed before it), which makes it partial. */
type Closing = typeof AT_END | typeof EARLY;
const AT_END = 'at_end';
const EARLY = 'early';

/**
 * The windows and series of one subscription. A class rather than closures in the operator
 * so the hot methods are compiled once for every subscriber, not warmed up again for each.
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
  /** Starts of the windows that hold points (or idle series awaiting expiry), ascending. */
  private readonly openStarts: number[] = [];
  private readonly timer: SubscriberTimer;
  // The window the previous point fell into: consecutive points mostly share it, so the hot
  // path is two comparisons instead of a division. Always an open window: close() forgets it.
  private cachedStart = Infinity;
  private cachedEnd = -Infinity;

  constructor(
    private readonly settings: WindowSettings,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {
    this.timer = new SubscriberTimer(settings.scheduler, subscriber, () => this.onTimer());
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
    const { size, maxSeries } = this.settings;
    const now = this.settings.scheduler.now();
    this.closeDue(now);
    if (this.subscriber.closed) return;
    const statesBySeries = this.statesBySeries;
    let late = 0;
    let overflow = 0;
    let notANumber = 0;
    let left: MetricPoint[] | undefined;
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
        start = Math.floor(time / size) * size;
        if (this.isClosed(start, now)) {
          late++;
          continue;
        }
        this.open(start);
        this.cachedStart = start;
        this.cachedEnd = start + size;
      }
      let state = statesBySeries.get(point.series);
      if (state === undefined) {
        state = this.stateByKey(point.series, start, maxSeries);
        if (state === undefined) {
          overflow++;
          continue;
        }
      }
      let window = state.head;
      if (window.start !== start) window = state.windowFor(start);
      window.add(value, time);
      const message = point.message;
      // `add` has moved lastTime to the newest point; a note stamped before it is older news.
      if (message !== undefined && time >= window.lastTime) window.message = message;
    }
    if (left !== undefined && left.length > 0) this.subscriber.next(left);
    const onDrop = this.settings.onDrop;
    if (onDrop === undefined) return;
    if (late > 0) onDrop('late', late);
    if (overflow > 0) onDrop('max_series', overflow);
    if (notANumber > 0) onDrop('not_a_number', notANumber);
  }

  /**
   * The series' source left (a staleness marker): its open windows are closed early, their
   * figures partial, then a marker goes out for each output series, so `threshold` forgets
   * them instead of waiting for `no_data`; its state is dropped, and a later point of the
   * series starts afresh. The markers go out even when the window holds nothing of the
   * series any more (expired after an idle window): what is downstream may still hold it.
   */
  private leave(marker: MetricPoint, out: MetricPoint[]): void {
    const { size, aggregates } = this.settings;
    const state = this.statesBySeries.get(marker.series) ?? this.states.get(marker.series.key);
    let outputs: readonly Series[];
    if (state === undefined) outputs = aggregates.map((name) => marker.series.with('aggregate', name, 'gauge'));
    else {
      outputs = state.outputs ?? state.deriveOutputs(aggregates);
      for (let window: WindowAccumulator | undefined = state.head; window !== undefined; window = window.next) {
        if (window.count > 0) appendFigures(out, outputs, aggregates, window, window.start + size, true);
      }
      this.states.delete(state.series.key);
      this.statesBySeries.delete(state.series);
    }
    for (const series of outputs) out.push(staleMarker(series, marker.time));
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
      state = new SeriesState(series, start);
      this.states.set(key, state);
    } else {
      this.statesBySeries.delete(state.series);
      state.adopt(series);
    }
    this.statesBySeries.set(series, state);
    return state;
  }

  /**
   * Emits every open window, oldest first, in one batch: the source has completed (the
   * pipeline stops or restarts). The windows have not reached their end, so their figures
   * are marked `partial` and `threshold` does not act on them. A series whose source left
   * is flushed the same way, alone (`leave`).
   */
  flush(): void {
    this.timer.cancel();
    const batch = this.close(this.openStarts.splice(0, this.openStarts.length), EARLY);
    if (batch.length > 0) this.subscriber.next(batch);
  }

  dispose(): void {
    this.timer.cancel();
    this.states.clear();
    this.statesBySeries.clear();
    this.openStarts.length = 0;
  }

  private onTimer(): void {
    this.closeDue(this.settings.scheduler.now());
    if (!this.subscriber.closed) this.scheduleClose();
  }

  private isClosed(start: number, now: number): boolean {
    return start + this.settings.size + this.settings.grace <= now;
  }

  /**
   * Emits every window whose end (plus grace) the clock has reached. Runs from the timer,
   * and also before each batch, so results never depend on whether the timer or a point at
   * the same instant goes first, nor on how late a real timer fires.
   */
  private closeDue(now: number): void {
    const openStarts = this.openStarts;
    let count = 0;
    while (count < openStarts.length && this.isClosed(openStarts[count]!, now)) count++;
    if (count === 0) return;
    const batch = this.close(openStarts.splice(0, count), AT_END);
    // Idle series still need one more closing to expire, even if no point opens a window.
    if (openStarts.length === 0 && this.states.size > 0) this.open(Math.floor(now / this.settings.size) * this.settings.size);
    this.scheduleClose();
    if (batch.length > 0) this.subscriber.next(batch);
  }

  /**
   * The output of the closing windows, oldest first; expires series idle for a whole window.
   * An expired series has no point in any open window (that is what expiry means here), so
   * it leaves nothing to emit, partial or whole.
   */
  private close(starts: readonly number[], closing: Closing): MetricPoint[] {
    const partial = closing === EARLY;
    const { size, aggregates } = this.settings;
    // Sized for the most it can hold and trimmed after: growing a 50,000-point array by push
    // costs more than the few slots left unused.
    const out = new Array<MetricPoint>(this.states.size * aggregates.length * starts.length);
    let filled = 0;
    for (const start of starts) {
      if (start === this.cachedStart) {
        this.cachedStart = Infinity;
        this.cachedEnd = -Infinity;
      }
      const end = start + size;
      for (const state of this.states.values()) {
        const window = state.find(start);
        if (window === undefined) {
          if (state.idle) {
            this.states.delete(state.series.key);
            this.statesBySeries.delete(state.series);
          }
          continue;
        }
        filled = appendFigures(out, state.outputs ?? state.deriveOutputs(aggregates), aggregates, window, end, partial, filled);
        state.release(window);
      }
    }
    out.length = filled;
    return out;
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
    const due = first + this.settings.size + this.settings.grace;
    if (this.timer.pending && this.timer.due === due) return;
    this.timer.set(due);
  }
}

/**
 * Writes one window's figures, one per aggregate, into `out` from `at` (its end by default);
 * returns where the next goes. Stamped with the window's end, flagged when partial.
 */
function appendFigures(
  out: MetricPoint[],
  outputs: readonly Series[],
  aggregates: readonly Aggregate[],
  window: WindowAccumulator,
  end: number,
  partial: boolean,
  at = out.length,
): number {
  const message = window.message;
  for (let k = 0; k < aggregates.length; k++) {
    const series = outputs[k]!;
    const value = aggregateValue(aggregates[k]!, window);
    // Literals rather than a conditional spread: whole windows without a note, the hot
    // path, keep the one object shape every other point has.
    if (message === undefined) out[at++] = partial ? { series, value, time: end, partial: true } : { series, value, time: end };
    else out[at++] = partial ? { series, value, time: end, partial: true, message } : { series, value, time: end, message };
  }
  return at;
}
