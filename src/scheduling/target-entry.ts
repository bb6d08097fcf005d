import { firstStart, phaseOf } from './phase.js';
import type { RunningCheck } from './running-check.js';
import { timingOf, type TargetTiming } from './settings.js';
import type { Tickable, TickWheel } from './tick-wheel.js';
import type { ScheduledTarget, TargetScheduleOptions } from './types.js';

/** What a target's clock asks of the schedule. */
export interface EntryHost<T extends ScheduledTarget> {
  readonly options: TargetScheduleOptions<T>;
  /** Where every target's next start waits. */
  readonly wheel: TickWheel;
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
export class TargetEntry<T extends ScheduledTarget> implements Tickable {
  /** The check in flight, if any. */
  running: RunningCheck<T> | undefined;
  /** The planned start of the check waiting for a slot, if one waits. */
  waiting: number | undefined;
  private timing: TargetTiming;
  private stopped = false;
  /** Its first check is planned inside the join span: the next one goes back to its phase. */
  private joining = false;

  constructor(
    private readonly host: EntryHost<T>,
    public target: T,
    /** Set when the target joins a running schedule: its first check comes within this many ms. */
    joinWithin?: number,
  ) {
    this.timing = timingOf(target, host.options);
    this.arm(joinWithin);
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
    if (moved) this.arm();
  }

  /** The target left or the schedule stopped: no more ticks, out of the queue, its check cancelled. */
  stop(reason: string): void {
    this.stopped = true;
    this.host.wheel.withdraw(this);
    if (this.waiting !== undefined) {
      this.waiting = undefined;
      this.host.withdraw(this);
    }
    this.running?.cancel(reason);
  }

  /**
   * Plans the first start: at the key's phase, or at once when spread is off; a joining
   * target at its phase within the join span. Replaces any start planned before.
   */
  private arm(joinWithin?: number): void {
    const { scheduler, spread } = this.host.options;
    const now = scheduler.now();
    const { interval } = this.timing;
    const span = spread === false || joinWithin === undefined ? interval : Math.max(1, Math.min(joinWithin, interval));
    this.joining = span < interval;
    this.host.wheel.add(this, spread === false ? now : firstStart(now, span, phaseOf(this.target.key, span)));
  }

  /** Runs (or skips) the check planned for `planned`, then plans the next start. */
  tick(planned: number): void {
    const { scheduler, telemetry } = this.host.options;
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
    if (this.joining) {
      // Back to its phase, at least half an interval on, so the first two checks are not back to back.
      this.joining = false;
      next = firstStart(Math.max(now + 1, planned + Math.ceil(interval / 2)), interval, phaseOf(this.target.key, interval));
    } else if (next <= now) {
      // The event loop was held past whole intervals: those starts are gone, and counted.
      const missed = Math.floor((now - planned) / interval);
      telemetry.skipped(missed);
      next = planned + (missed + 1) * interval;
    }
    // The check just started may have removed this target or stopped the schedule.
    if (!this.stopped) this.host.wheel.add(this, next);
  }
}
