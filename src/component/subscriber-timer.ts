import type { SchedulerAction, SchedulerLike, Subscriber, Subscription } from 'rxjs';

function fire(this: SchedulerAction<SubscriberTimer>, timer?: SubscriberTimer): void {
  timer?.fire();
}

/**
 * One scheduled wake-up of an operator's subscription, at a time on its scheduler's clock:
 * added to the subscriber, so unsubscribing cancels it, and removed from it once spent, so
 * the subscriber does not collect spent timers. Setting it again replaces it.
 */
export class SubscriberTimer {
  private action: Subscription | undefined;
  /** When the pending wake-up is due (NaN when none is). */
  due = Number.NaN;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly subscriber: Subscriber<unknown>,
    private readonly onFire: () => void,
  ) {}

  get pending(): boolean {
    return this.action !== undefined && !this.action.closed;
  }

  /** Wakes at `due` (now, if that has passed), replacing a pending wake-up. */
  set(due: number): void {
    this.cancel();
    this.due = due;
    this.action = this.scheduler.schedule<SubscriberTimer>(fire, Math.max(0, due - this.scheduler.now()), this);
    this.subscriber.add(this.action);
  }

  cancel(): void {
    if (this.action === undefined) return;
    this.subscriber.remove(this.action);
    this.action.unsubscribe();
    this.action = undefined;
    this.due = Number.NaN;
  }

  /** Called by the scheduler: the timer is spent before the owner runs, so it may set it again. */
  fire(): void {
    this.cancel();
    this.onFire();
  }
}
