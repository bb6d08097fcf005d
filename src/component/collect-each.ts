import { catchError, defer, EMPTY, exhaustMap, filter, from, pipe, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { MetricBatch } from '../model/point.js';

/**
 * The polling step every polling receiver shares: on each tick, one collect. A collect still
 * running when the next tick comes makes that tick skip (`exhaustMap`), never pile up; a
 * failed collect is handed to `onError` and yields nothing, so the stream never errors;
 * empty batches are not emitted.
 */
export function collectEach<T>(
  collect: (tick: T) => ObservableInput<MetricBatch>,
  onError: (error: unknown) => void,
): OperatorFunction<T, MetricBatch> {
  return pipe(
    exhaustMap((tick: T) =>
      defer(() => from(collect(tick))).pipe(
        catchError((error: unknown) => {
          onError(error);
          return EMPTY;
        }),
      ),
    ),
    filter((batch) => batch.length > 0),
  );
}
