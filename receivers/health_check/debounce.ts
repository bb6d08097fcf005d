import type { CheckState } from './check-result.js';

export interface DebounceThresholds {
  /** Consecutive non-ok results that turn an ok hard state into a failing one. */
  readonly failureThreshold: number;
  /** Consecutive ok results that turn a failing hard state back to ok. */
  readonly successThreshold: number;
}

/**
 * The Nagios soft → hard state of one target (`healthcheck.state`):
 *
 * - The first result is taken as the hard state at once: before it there is no state to
 *   protect, and reporting `ok` (Nagios' assumed initial state) for a service that is down
 *   would make "not yet checked" look healthy, while reporting `unknown` until the
 *   thresholds pass would raise no-data alerts at every start.
 * - From `ok`, a non-ok result is soft: the hard state changes only after
 *   `failureThreshold` non-ok results in a row, to the latest of them.
 * - Between non-ok states (warning ↔ critical ↔ unknown) the hard state follows at once, as
 *   in Nagios: the service is already in trouble, and the kind of trouble is news.
 * - Back to `ok` after `successThreshold` ok results in a row (Nagios recovers at once;
 *   the ancestor, and every load balancer, wait for a second success).
 *
 * Two numbers of state per target, dropped with the target.
 */
export class StateDebounce {
  private hard: CheckState | undefined;
  /** Results in a row that disagree with the hard state in the direction that counts (non-ok from ok, ok from non-ok). */
  private streak = 0;

  constructor(private readonly thresholds: DebounceThresholds) {}

  /** The hard state after `result`. */
  next(result: CheckState): CheckState {
    const hard = this.hard;
    if (hard === undefined) {
      this.hard = result;
      return result;
    }
    const isOk = result === 'ok';
    if (isOk === (hard === 'ok')) {
      this.streak = 0;
      // Among non-ok states the latest one is the hard state.
      this.hard = result;
      return result;
    }
    this.streak += 1;
    const needed = isOk ? this.thresholds.successThreshold : this.thresholds.failureThreshold;
    if (this.streak >= needed) {
      this.streak = 0;
      this.hard = result;
    }
    return this.hard!;
  }
}
