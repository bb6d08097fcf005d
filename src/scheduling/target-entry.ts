import type { SchedulerAction, Subscription } from 'rxjs';
import { firstStart, phaseOf } from './phase.js';
import type { RunningCheck } from './running-check.js';
import { timingOf, type TargetTiming } from './settings.js';
import type { ScheduledTarget, TargetScheduleOptions } from './types.js';

/** What a target's clock asks of the schedule. */
export interface EntryHost<T extends ScheduledTarget> {
  readonly options: TargetScheduleOptions<T>;
  /** A check of `entry` is due (at `entry.waiting`): start it or queue it for a slot. */
  request(entry: TargetEntry<T>): void;
  /** Takes `entry` out of the slot queue. */
  withdraw(entry: TargetEntry<T>): void;
}

/**
 * One target's clock: planned starts at its phase + n × interval, each measured from the
 * plan rather than from when the previous tick ran, so the interval never drifts. A tick
 * whose target is still busy (running, or waiting for a slot) is skipped and counted.
 */
export class TargetEntry<T extends ScheduledTarget> {
  /** The check in flight, if any. */
  running: RunningCheck<T> | undefined;
  /** The planned start of the check waiting for a slot, if one waits. */
  waiting: number | undefined;
  private timing: TargetTiming;
  private next = 0;
  private ticks: Subscription;

  constructor(
    private readonly host: EntryHost<T>,
    public target: T,
  ) {
    this.timing = timingOf(target, host.options);
    this.ticks = this.arm();
  }

  get timeout(): number {
    return this.timing.timeout;
  }

  /** The same key again: the newest object serves the next check; only a new interval moves the phase. */
  replace(target: T): void {
    const timing = timingOf(target, this.host.options);
    const moved = timing.interval !== this.timing.interval;
    this.target = target;
    this.timing = timing;
    if (moved) {
      this.ticks.unsubscribe();
      this.ticks = this.arm();
    }
  }

  /** The target left or the schedule stopped: no more ticks, out of the queue, its check cancelled. */
  stop(reason: string): void {
    this.ticks.unsubscribe();
    if (this.waiting !== undefined) {
      this.waiting = undefined;
      this.host.withdraw(this);
    }
    this.running?.cancel(reason);
  }

  private arm(): Subscription {
    const { scheduler, spread } = this.host.options;
    const now = scheduler.now();
    const { interval } = this.timing;
    this.next = spread === false ? now : firstStart(now, interval, phaseOf(this.target.key, interval));
    // One action rescheduled from inside itself: on the async scheduler Node keeps reusing
    // one timer handle when the wait repeats, instead of a new action per tick.
    return scheduler.schedule(
      function (this: SchedulerAction<TargetEntry<T>>, entry) {
        this.schedule(entry, entry!.tick());
      },
      this.next - now,
      this,
    );
  }

  /** Runs (or skips) the check due now; returns the wait until the next planned start. */
  private tick(): number {
    const { scheduler, telemetry } = this.host.options;
    const planned = this.next;
    if (this.running !== undefined && this.running.timing.budgetEnd <= planned) this.running.expire();
    if (this.running !== undefined || this.waiting !== undefined) {
      telemetry.skipped(1);
    } else {
      this.waiting = planned;
      this.host.request(this);
    }
    const now = scheduler.now();
    const { interval } = this.timing;
    let next = planned + interval;
    if (next <= now) {
      // The event loop was held past whole intervals: those starts are gone, and counted.
      const missed = Math.floor((now - planned) / interval);
      telemetry.skipped(missed);
      next = planned + (missed + 1) * interval;
    }
    this.next = next;
    return next - now;
  }
}
