import { MAX_TIMER_MS } from '../config/units.js';
import { HealthpipeError } from '../errors.js';
import type { ScheduledTarget, TargetScheduleOptions } from './types.js';

/** One target's interval and timeout, in ms, after its own values override the receiver's. */
export interface TargetTiming {
  readonly interval: number;
  readonly timeout: number;
}

/**
 * A wait one Node timer can hold: a longer one fires after 1 ms, a zero interval would spin.
 * Schemas bound what users write, so a value outside is a component's bug.
 */
function checkWait(name: string, ms: number): void {
  if (Number.isFinite(ms) && ms >= 1 && ms <= MAX_TIMER_MS) return;
  throw new HealthpipeError('COMPONENT_CREATE', `scheduleTargets: ${name} must be between 1 and ${MAX_TIMER_MS} ms, not ${ms}`);
}

/** Rejects bad options when the receiver is created, naming the option. */
export function checkScheduleOptions(options: TargetScheduleOptions<ScheduledTarget>): void {
  checkWait('interval', options.interval);
  checkWait('timeout', options.timeout);
  if (options.joinWithin !== undefined) checkWait('joinWithin', options.joinWithin);
  const concurrency = options.concurrency ?? Infinity;
  if (concurrency !== Infinity && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new HealthpipeError('COMPONENT_CREATE', `scheduleTargets: concurrency must be a whole number of at least 1, not ${concurrency}`);
  }
}

/** The message leaves out the key: it may hold a URL with credentials. */
export function timingOf(target: ScheduledTarget, options: TargetScheduleOptions<ScheduledTarget>): TargetTiming {
  const interval = target.interval ?? options.interval;
  const timeout = target.timeout ?? options.timeout;
  checkWait("a target's interval", interval);
  checkWait("a target's timeout", timeout);
  return { interval, timeout };
}
