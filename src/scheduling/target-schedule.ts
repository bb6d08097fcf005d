import type { Subscriber } from 'rxjs';
import type { MetricBatch } from '../model/point.js';
import { CheckSlots } from './check-slots.js';
import { RunningCheck, type CheckHost } from './running-check.js';
import { TargetEntry, type EntryHost } from './target-entry.js';
import { TickWheel } from './tick-wheel.js';
import type { ScheduledTarget, TargetScheduleOptions } from './types.js';

/**
 * The state of one subscription to `scheduleTargets`: a clock per target key, the slots that
 * bound checks in flight, and the subscriber every batch goes to. Released by `stop`.
 */
export class TargetSchedule<T extends ScheduledTarget> implements CheckHost<T>, EntryHost<T> {
  private readonly entries = new Map<string, TargetEntry<T>>();
  private readonly slots: CheckSlots<TargetEntry<T>>;
  readonly wheel: TickWheel;
  /**
   * Whether a new key joins a running schedule (see `joinWithin`): not in the first set, nor
   * in any set the source gives while it is being subscribed to (a receiver's configured
   * targets followed at once by what discovery already knows).
   */
  private joinable = false;
  private updates = 0;

  constructor(
    readonly options: TargetScheduleOptions<T>,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {
    this.wheel = new TickWheel(options.scheduler);
    this.slots = new CheckSlots(options.concurrency ?? Infinity, (entry, waited) => this.start(entry, waited));
  }

  /** Applies a new target set at once: leavers cancelled, newcomers armed, the rest untouched. */
  update(targets: readonly T[]): void {
    const latest = new Map<string, T>();
    for (const target of targets) latest.set(target.key, target);
    for (const [key, entry] of this.entries) {
      if (!latest.has(key)) this.remove(key, entry);
    }
    const joinWithin = this.joinable && this.updates > 0 ? this.options.joinWithin : undefined;
    this.updates++;
    for (const [key, target] of latest) {
      const entry = this.entries.get(key);
      if (entry === undefined) this.entries.set(key, new TargetEntry(this, target, joinWithin));
      else entry.replace(target);
    }
  }

  /** The source has been subscribed to: sets from now on are changes to a running schedule. */
  running(): void {
    this.joinable = true;
  }

  stop(): void {
    // The queue goes first, so the slots the cancelled checks free start nothing.
    this.slots.clear();
    this.wheel.stop();
    for (const entry of this.entries.values()) entry.stop('the receiver stopped');
    this.entries.clear();
  }

  request(entry: TargetEntry<T>): void {
    this.slots.request(entry);
  }

  withdraw(entry: TargetEntry<T>): void {
    this.slots.withdraw(entry);
  }

  emit(batch: MetricBatch): void {
    if (batch.length > 0) this.subscriber.next(batch);
  }

  emitFrom(callback: () => MetricBatch): void {
    let batch: MetricBatch;
    try {
      batch = callback();
    } catch (error) {
      this.subscriber.error(error);
      return;
    }
    this.emit(batch);
  }

  finished(check: RunningCheck<T>): void {
    const entry = check.owner as TargetEntry<T>;
    if (entry.running === check) entry.running = undefined;
    this.slots.release();
  }

  private remove(key: string, entry: TargetEntry<T>): void {
    this.entries.delete(key);
    entry.stop('the target was removed');
    const { onRemove } = this.options;
    if (onRemove !== undefined) this.emitFrom(() => onRemove(entry.target) ?? []);
  }

  /** A slot was granted: the check runs now, with its budget counted from its plan unless it had to wait. */
  private start(entry: TargetEntry<T>, waited: boolean): void {
    const { scheduler } = this.options;
    const planned = entry.waiting ?? scheduler.now();
    entry.waiting = undefined;
    const started = scheduler.now();
    const timeout = entry.timeout;
    const budgetEnd = (waited ? started : planned) + timeout;
    const check = new RunningCheck(this, entry, entry.target, { planned, started, timeout, budgetEnd });
    entry.running = check;
    check.start();
  }
}
