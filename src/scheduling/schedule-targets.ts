import { Observable, type OperatorFunction } from 'rxjs';
import type { MetricBatch } from '../model/point.js';
import { checkScheduleOptions } from './settings.js';
import { TargetSchedule } from './target-schedule.js';
import type { ScheduledTarget, TargetScheduleOptions } from './types.js';

/**
 * The polling of a receiver with targets: target sets in, batches out.
 *
 * - Each target runs every `interval` (its own or the receiver's) at a fixed phase in it
 *   (see `spread`), never drifting, on the injected scheduler.
 * - A check runs at most `timeout`; then it is abandoned, its `signal` aborted, counted
 *   (`timedOut`), and `onTimeout` says what points record it. A failed check goes to `onError`.
 *   Failures are data: the stream never errors because of a check.
 * - A tick whose target's previous check still runs (a timeout longer than the interval) or
 *   still waits for one of the `concurrency` slots is skipped and counted (`skipped`): checks
 *   never pile up.
 * - A new set applies at once: a new key starts within its interval, a key that left is
 *   cancelled with its running check (`onRemove` then releases its state), a key that stays
 *   keeps its phase (`joinWithin`: a key that joins a running schedule starts within that
 *   span instead). A key that left may return points that say so from `onRemove`. The last
 *   set stays in force when the source completes.
 * - Unsubscribing cancels every timer and aborts every running check.
 *
 * ```ts
 * return targets$.pipe(scheduleTargets({
 *   interval: config.collection_interval, timeout: config.timeout, concurrency: 64,
 *   scheduler: context.scheduler, telemetry: context.telemetry,
 *   collect: (target, { signal }) => check(target, signal),
 *   onTimeout: (target, { started }) => failurePoints(target, 'timeout', started),
 *   onError: (target, error, { started }) => failurePoints(target, errorTypeOf(error), started),
 * }));
 * ```
 */
export function scheduleTargets<T extends ScheduledTarget>(
  options: TargetScheduleOptions<T>,
): OperatorFunction<readonly T[], MetricBatch> {
  checkScheduleOptions(options);
  return (targets$) =>
    new Observable<MetricBatch>((subscriber) => {
      const schedule = new TargetSchedule(options, subscriber);
      const source = targets$.subscribe({
        next: (targets) => {
          try {
            schedule.update(targets);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
      });
      schedule.running();
      return () => {
        source.unsubscribe();
        schedule.stop();
      };
    });
}
