import type { ObservableInput, SchedulerLike } from 'rxjs';
import type { ComponentTelemetry } from '../component/telemetry.js';
import type { MetricBatch } from '../model/point.js';

/**
 * What the scheduler reads of a target; the rest of the object is the component's own and is
 * handed back, untouched, to `collect`, `onTimeout`, `onError` and `onRemove`.
 */
export interface ScheduledTarget {
  /**
   * The target's identity from one target set to the next. A key that stays keeps its phase
   * and its running check (its next check gets the newest object); a key that leaves is
   * cancelled at once, running check included. Put in it whatever makes it another check (a
   * URL, a command line): two targets of one set must not share a key (the later one wins).
   * It also places the target in its interval, so keep it free of volatile parts.
   */
  readonly key: string;
  /** Milliseconds between two planned starts of this target; the receiver's `interval` when absent. */
  readonly interval?: number;
  /** Milliseconds one check of this target may run; the receiver's `timeout` when absent. May exceed the interval. */
  readonly timeout?: number;
}

/** What one check is told when it starts. Times are the scheduler's, in ms. */
export interface CheckContext {
  /**
   * Aborted when the check is cut: at its deadline (reason: a `TimeoutError` DOMException),
   * when its target leaves the set or the receiver stops (an `AbortError` DOMException). Hand
   * it to `fetch`, `spawn` or a socket so the work really stops: the scheduler has stopped
   * listening by then, and whatever the check yields afterwards is ignored.
   */
  readonly signal: AbortSignal;
  /** When this check was due: its slot in the target's interval. */
  readonly planned: number;
  /** When it actually started; later than `planned` if it waited for a free slot. */
  readonly started: number;
  /** `started + timeout`: when it will be cut. */
  readonly deadline: number;
}

/**
 * The settings and callbacks of `scheduleTargets`. Every callback gets the target object it
 * was scheduled with. A callback that throws is a bug of the component: it errors the stream
 * (the hub restarts the receiver), unlike a failing check, which is data.
 */
export interface TargetScheduleOptions<T extends ScheduledTarget> {
  /** Default milliseconds between two starts of a target. At least 1 ms; 100 ms is a normal fast poll. */
  readonly interval: number;
  /** Default milliseconds one check may run before it is cut. */
  readonly timeout: number;
  /**
   * At most this many checks run at once across all targets; a check due while all slots are
   * taken waits in a first-come, first-served queue (one place per target). Default: no bound.
   */
  readonly concurrency?: number;
  /**
   * `true` (the default): each target starts at a fixed point of its interval, derived from a
   * hash of its key and the scheduler's clock, so a thousand targets do not all start in the
   * same millisecond and a restart keeps every phase. `false`: a target's first check runs as
   * soon as it appears (a receiver with one scrape over all targets).
   */
  readonly spread?: boolean;
  /**
   * With `spread`: a target that joins a running schedule (in a set after the first, such as
   * an instance a registry just registered) gets its first check within this many ms, at its
   * key's phase in that span, instead of waiting up to a whole interval for its slot; from its
   * second check on (at least half an interval later) it runs at its usual phase. Spreading
   * over the span keeps a registry's first set of a thousand instances from starting in one
   * millisecond. Default: undefined, a joining target waits for its phase like the others.
   */
  readonly joinWithin?: number;
  readonly scheduler: SchedulerLike;
  /** Counts `skipped` ticks and `timedOut` checks. */
  readonly telemetry: Pick<ComponentTelemetry, 'skipped' | 'timedOut'>;
  /**
   * Runs one check: a promise or observable of batches (several batches are fine). It should
   * stop its work when `check.signal` aborts. A rejection or error goes to `onError`.
   */
  collect(target: T, check: CheckContext): ObservableInput<MetricBatch>;
  /**
   * The check was cut at `check.deadline`: the points that say so (for a health check, its
   * `healthcheck.up` 0 and `healthcheck.error` with `error.type: timeout`), or `[]`. Batches
   * the check emitted before its deadline have already gone out.
   */
  onTimeout(target: T, check: CheckContext): MetricBatch;
  /** The check failed: the points that say so, or `[]` (after logging it). */
  onError(target: T, error: unknown, check: CheckContext): MetricBatch;
  /**
   * The target left the set (its running check is already cancelled): release what the
   * component keeps for it (debounce state, series) and return the points that say it left
   * (a staleness marker per series it produced: `staleMarker`), or nothing. Not called when
   * the stream stops: a stop is not a departure.
   */
  onRemove?(target: T): MetricBatch | void;
}
