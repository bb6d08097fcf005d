import {
  asyncScheduler,
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  filter,
  from,
  pipe,
  takeUntil,
  tap,
  timer,
  type ObservableInput,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { MetricBatch } from '../model/point.js';

/** A bound on each collect of `collectEach`. */
export interface CollectTimeout<T> {
  /** Milliseconds a collect may run; then it is abandoned (unsubscribed) and the next tick runs. */
  readonly timeout: number;
  /** The receiver's scheduler (the context's); default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Told of each collect that was cut: count it, log it. */
  readonly onTimeout?: (tick: T) => void;
}

/**
 * The polling step of a receiver with one collect per tick: a collect still running when the
 * next tick comes makes that tick skip (`exhaustMap`), never pile up; a failed collect is
 * handed to `onError` and yields nothing, so the stream never errors; empty batches are not
 * emitted. Without `bound`, a collect that never ends stops the polling for good: give one.
 * Receivers with targets (per-target intervals and timeouts, a concurrency bound, an abort
 * signal for the work that is cut, target changes) use `scheduleTargets` instead.
 */
export function collectEach<T>(
  collect: (tick: T) => ObservableInput<MetricBatch>,
  onError: (error: unknown) => void,
  bound?: CollectTimeout<T>,
): OperatorFunction<T, MetricBatch> {
  return pipe(
    exhaustMap((tick: T) => {
      const collected$ = defer(() => from(collect(tick))).pipe(
        catchError((error: unknown) => {
          onError(error);
          return EMPTY;
        }),
      );
      if (bound === undefined) return collected$;
      const cut$ = timer(bound.timeout, bound.scheduler ?? asyncScheduler).pipe(tap(() => bound.onTimeout?.(tick)));
      return collected$.pipe(takeUntil(cut$));
    }),
    filter((batch) => batch.length > 0),
  );
}
