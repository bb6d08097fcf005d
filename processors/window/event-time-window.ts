import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { statefulOperator } from '../../src/index.js';
import type { MetricBatch, Series } from '../../src/index.js';
import type { Aggregate } from './aggregates.js';
import { WindowState, type WindowDropReason } from './window-state.js';

/** A read-only look at one subscription's state, for tests and self-telemetry. */
export interface WindowStateView {
  /** Series currently held (with points in a pane, or within their one idle window). */
  readonly liveSeries: number;
  /** Pane ends at which a window is still to close. */
  readonly openWindows: number;
  readonly timerPending: boolean;
}

export interface EventTimeWindowOptions {
  /** Window length in milliseconds. */
  readonly size: number;
  /**
   * Step between window ends in milliseconds (sliding windows); `size` divided by it is a
   * whole number. Windows end at multiples of it since the epoch. Default `size`: tumbling.
   */
  readonly every?: number;
  readonly aggregates: readonly Aggregate[];
  readonly maxSeries: number;
  /** How long after its end a window still takes late points, in milliseconds; default 0. */
  readonly grace?: number;
  /** The quantile sketches' relative accuracy; default 0.01. */
  readonly relativeAccuracy?: number;
  readonly scheduler?: SchedulerLike;
  /** Called at most once per batch and reason, with the number of points dropped. */
  readonly onDrop?: (reason: WindowDropReason, count: number) => void;
  /** A series that is not a monotonic counter met `rate` (it gets no rate figure); called once per new series. */
  readonly onRateOfNonCounter?: (series: Series) => void;
  /** Handed a live view of each subscription's state when it starts. */
  readonly probe?: (view: WindowStateView) => void;
}

function checkOptions(options: EventTimeWindowOptions): void {
  if (!(Number.isFinite(options.size) && options.size > 0)) {
    throw new RangeError(`window: size must be a positive number of ms, got ${options.size}`);
  }
  const every = options.every ?? options.size;
  if (!(Number.isFinite(every) && every > 0 && every <= options.size && Number.isInteger(options.size / every))) {
    throw new RangeError(`window: every must divide size (${options.size} ms) into whole panes, got ${every}`);
  }
  if (options.aggregates.length === 0) throw new RangeError('window: aggregates must name at least one aggregate');
  if (!(Number.isInteger(options.maxSeries) && options.maxSeries > 0)) {
    throw new RangeError(`window: max_series must be a positive integer, got ${options.maxSeries}`);
  }
  if (!(options.grace === undefined || (Number.isFinite(options.grace) && options.grace >= 0))) {
    throw new RangeError(`window: grace must be zero or more ms, got ${options.grace}`);
  }
  const accuracy = options.relativeAccuracy;
  if (!(accuracy === undefined || (accuracy >= 0.0005 && accuracy < 1))) {
    throw new RangeError(`window: relative_accuracy must be at least 0.0005 and below 1, got ${accuracy}`);
  }
}

/**
 * Tumbling or sliding windows on event time (`point.time`). A window [end − size, end) closes
 * when the scheduler's clock reaches its end (plus grace); everything that closes at that
 * moment leaves as one batch of gauge points stamped with the window's end. Open windows are
 * flushed when the source completes. All state lives in the subscription.
 */
export function eventTimeWindow(options: EventTimeWindowOptions): OperatorFunction<MetricBatch, MetricBatch> {
  checkOptions(options);
  const settings = {
    size: options.size,
    every: options.every ?? options.size,
    grace: options.grace ?? 0,
    aggregates: options.aggregates,
    relativeAccuracy: options.relativeAccuracy ?? 0.01,
    maxSeries: options.maxSeries,
    scheduler: options.scheduler ?? asyncScheduler,
    onDrop: options.onDrop,
    onRateOfNonCounter: options.onRateOfNonCounter,
  };
  return statefulOperator<MetricBatch, MetricBatch, WindowState>((subscriber) => {
    const state = new WindowState(settings, subscriber);
    options.probe?.(state);
    return state;
  });
}
