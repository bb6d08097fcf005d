import { VirtualAction, VirtualTimeScheduler } from 'rxjs';

/**
 * A scheduler in virtual time that tests advance step by step, for code that mixes
 * scheduled work with promises (the graph, the runtime), where TestScheduler.run cannot await.
 */
export class SteppingScheduler extends VirtualTimeScheduler {
  constructor() {
    super(VirtualAction, 0);
  }

  /** Runs everything scheduled up to and including virtual time `time`. */
  advanceTo(time: number): void {
    this.maxFrames = time;
    this.flush();
  }

  advanceBy(delta: number): void {
    this.advanceTo(this.now() + delta);
  }
}
