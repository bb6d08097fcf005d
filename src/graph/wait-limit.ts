import type { SchedulerLike, Subscription } from 'rxjs';
import { delayInSteps } from '../component/long-timer.js';

/**
 * How long a reload waits for what it stops (pipelines flushing, exporters shutting down):
 * until `ms` pass on the scheduler, or at once when the graph is asked to stop, so a SIGTERM
 * behind a reload that waits on a hung exporter is not kept waiting behind it.
 */
export class WaitLimit {
  readonly reached: Promise<void>;
  private timer: Subscription | undefined;

  constructor(ms: number, scheduler: SchedulerLike, preempted: Promise<void>) {
    this.reached = Promise.race([
      preempted,
      new Promise<void>((resolve) => (this.timer = delayInSteps(ms, scheduler).subscribe(() => resolve()))),
    ]);
  }

  /** True when `work` settled before the limit; a late `work` goes on unwatched. */
  within(work: Promise<unknown>): Promise<boolean> {
    return Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      this.reached.then(() => false),
    ]);
  }

  /** Stops the timer: the apply is over. */
  dispose(): void {
    this.timer?.unsubscribe();
  }
}
