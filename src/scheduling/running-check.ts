import { defer, from, type Subscription } from 'rxjs';
import type { MetricBatch } from '../model/point.js';
import type { CheckContext, ScheduledTarget, TargetScheduleOptions } from './types.js';

/** What a running check reports to the schedule that started it. */
export interface CheckHost<T extends ScheduledTarget> {
  readonly options: TargetScheduleOptions<T>;
  emit(batch: MetricBatch): void;
  /** Emits the points a component callback returns; a callback that throws errors the stream. */
  emitFrom(callback: () => MetricBatch): void;
  finished(check: RunningCheck<T>): void;
}

/** Where a check stands in its target's schedule. */
export interface CheckTiming {
  readonly planned: number;
  readonly started: number;
  readonly timeout: number;
  /**
   * When the check's time is up in schedule time: the planned start + timeout, or the real
   * start + timeout after a wait for a slot. A tick at or after it cuts the check before
   * deciding whether to skip, so a timeout equal to the interval never costs a tick to a
   * timer that fires a millisecond after the next tick.
   */
  readonly budgetEnd: number;
}

/**
 * One check in flight: the collect's subscription, its timeout timer and its abort signal.
 * It ends exactly once: completed, failed (→ onError), timed out (→ onTimeout) or cancelled
 * (target removed, schedule stopped: no points).
 */
export class RunningCheck<T extends ScheduledTarget> {
  readonly context: CheckContext;
  /** Made when the check first reads its signal: a check that never does costs no AbortController. */
  private controller: AbortController | undefined;
  private abortReason: DOMException | undefined;
  private collecting: Subscription | undefined;
  private timer: Subscription | undefined;
  private ended = false;

  constructor(
    private readonly host: CheckHost<T>,
    /** Whose check this is; the schedule keeps one per target. */
    readonly owner: object,
    private readonly target: T,
    readonly timing: CheckTiming,
  ) {
    const check = this;
    this.context = {
      get signal() {
        return check.signal();
      },
      planned: timing.planned,
      started: timing.started,
      deadline: timing.started + timing.timeout,
    };
  }

  start(): void {
    const { collect, onError, scheduler } = this.host.options;
    this.collecting = defer(() => from(collect(this.target, this.context))).subscribe({
      next: (batch) => this.host.emit(batch),
      error: (error: unknown) => {
        if (this.settle()) this.finish(() => onError(this.target, error, this.context));
      },
      complete: () => {
        if (this.settle()) this.finish(undefined);
      },
    });
    // A check that ended while subscribing needs no timer.
    if (!this.ended) this.timer = scheduler.schedule(() => this.expire(), this.timing.timeout);
  }

  /** Cut at the deadline: abandoned, aborted, counted, and its timeout points emitted. */
  expire(): void {
    if (!this.settle()) return;
    // Stop listening before aborting, so a check that errors on abort is not also a failure.
    this.collecting?.unsubscribe();
    this.abort(new DOMException(`the check timed out after ${this.timing.timeout} ms`, 'TimeoutError'));
    this.host.options.telemetry.timedOut(1);
    this.finish(() => this.host.options.onTimeout(this.target, this.context));
  }

  /** Its target left or the schedule stopped: abandoned and aborted, no points. */
  cancel(reason: string): void {
    if (!this.settle()) return;
    this.collecting?.unsubscribe();
    this.abort(new DOMException(reason, 'AbortError'));
    this.finish(undefined);
  }

  private signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  private abort(reason: DOMException): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /**
   * Marks the check ended; false if it already was. Set before anything that can call back
   * (an abort listener, a subscriber downstream), so each check ends exactly once.
   */
  private settle(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }

  private finish(points: (() => MetricBatch) | undefined): void {
    this.timer?.unsubscribe();
    if (points !== undefined) this.host.emitFrom(points);
    this.host.finished(this);
  }
}
