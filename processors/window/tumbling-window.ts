import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { statefulOperator } from '../../src/index.js';
import type { MetricBatch } from '../../src/index.js';
import type { Aggregate } from './aggregates.js';
import { WindowState, type WindowDropReason } from './window-state.js';

/** A read-only look at one subscription's state, for tests and self-telemetry. */
export interface WindowStateView {
  /** Series currently held (with points in an open window, or within their one idle window). */
  readonly liveSeries: number;
  readonly openWindows: number;
  readonly timerPending: boolean;
}

export interface TumblingWindowOptions {
  /** Window length in milliseconds; windows start at multiples of it since the epoch. */
  readonly size: number;
  readonly aggregates: readonly Aggregate[];
  readonly maxSeries: number;
  /**
   * How long after its end a window still takes late points, in milliseconds. Zero until the
   * config grows a grace period; the close timer and the late check already honour it.
   */
  readonly grace?: number;
  readonly scheduler?: SchedulerLike;
  /** Called at most once per batch and reason, with the number of points dropped. */
  readonly onDrop?: (reason: WindowDropReason, count: number) => void;
  /** Handed a live view of each subscription's state when it starts. */
  readonly probe?: (view: WindowStateView) => void;
}

function checkOptions(options: TumblingWindowOptions): void {
  if (!(Number.isFinite(options.size) && options.size > 0)) {
    throw new RangeError(`window: size must be a positive number of ms, got ${options.size}`);
  }
  if (options.aggregates.length === 0) throw new RangeError('window: aggregates must name at least one aggregate');
  if (!(Number.isInteger(options.maxSeries) && options.maxSeries > 0)) {
    throw new RangeError(`window: max_series must be a positive integer, got ${options.maxSeries}`);
  }
  if (!(options.grace === undefined || (Number.isFinite(options.grace) && options.grace >= 0))) {
    throw new RangeError(`window: grace must be zero or more ms, got ${options.grace}`);
  }
}

/**
 * Tumbling windows on event time (`point.time`). A window [start, start + size) closes when
 * the scheduler's clock reaches its end (plus grace); everything that closes at that moment
 * leaves as one batch of gauge points stamped with the window's end. Open windows are
 * flushed when the source completes. All state lives in the subscription.
 */
export function tumblingWindow(options: TumblingWindowOptions): OperatorFunction<MetricBatch, MetricBatch> {
  checkOptions(options);
  const settings = {
    size: options.size,
    grace: options.grace ?? 0,
    aggregates: options.aggregates,
    maxSeries: options.maxSeries,
    scheduler: options.scheduler ?? asyncScheduler,
    onDrop: options.onDrop,
  };
  return statefulOperator<MetricBatch, MetricBatch, WindowState>((subscriber) => {
    const state = new WindowState(settings, subscriber);
    options.probe?.(state);
    return state;
  });
}
