import { DEFAULT_MAX_DURATION_MS } from '../config/units.js';
import { asyncScheduler, defer, EMPTY, expand, filter, map, take, timer, type Observable, type SchedulerLike } from 'rxjs';

/**
 * The longest wait handed to one timer: the whole days under Node's timer limit (24 days),
 * the same bound `duration()` holds a setting to. A longer delay Node fires after 1 ms.
 */
export const MAX_TIMER_STEP_MS = DEFAULT_MAX_DURATION_MS;

/**
 * Emits 0 once, `ms` after subscription, then completes, like `timer(ms, scheduler)`, but
 * waits in steps of at most MAX_TIMER_STEP_MS, so a legitimate long wait (a silence that
 * ends in a month, a generous shutdown deadline) never turns into a 1 ms timer. Each step
 * is measured against the scheduler's clock, so the steps add up to the wait exactly.
 * `Infinity` waits for ever (a step every 24 days, no emission).
 */
export function delayInSteps(ms: number, scheduler: SchedulerLike = asyncScheduler): Observable<0> {
  if (Number.isNaN(ms)) throw new RangeError('delayInSteps: the delay is NaN');
  return defer(() => {
    const end = scheduler.now() + Math.max(0, ms);
    const left = (): number => end - scheduler.now();
    const step = (): Observable<number> => timer(Math.min(Math.max(0, left()), MAX_TIMER_STEP_MS), scheduler);
    return step().pipe(
      expand(() => (left() > 0 ? step() : EMPTY)),
      filter(() => left() <= 0),
      take(1),
      map((): 0 => 0),
    );
  });
}
