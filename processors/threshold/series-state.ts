import type { Series } from '../../src/index.js';
import { FLAP_RESULTS, percentChange, recordResult } from './flap-history.js';
import { alertIdentity } from './identity.js';
import { INFO } from './levels.js';
import type { CompiledRule } from './rule.js';

/** The alert identity of a state, computed once when the state is made. */
export interface AlertIdentity {
  readonly service: string;
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * What threshold keeps for one series and rule (or one summed group): its level and the
 * few numbers `for`, `keep_firing_for`, no-data and flap detection need, the last event
 * that went out, and its place in the silence list. About thirty fields, no per-point
 * allocation.
 */
export class SeriesState {
  level = INFO;
  /** When the current level began (ms). */
  since: number;
  /** Per level (1–3): since when the value has stood at it, NaN when it does not: the `for` clock. */
  readonly reachedSince: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  /** Since when the value has stood below the current level: the `keep_firing_for` clock. */
  lowerSince = Number.NaN;
  /** Scheduler time of the last point (partial ones included): the no-data clock. */
  lastSeen: number;
  lastTime = Number.NaN;
  /** The last whole figure judged, for an event sent later (a flapping series settling). */
  lastValue = Number.NaN;
  /** The smallest spacing seen between two points: a tumbling window's size. */
  minGap = Infinity;
  /** The last results for flap detection (flap-history.ts), and how many were recorded. */
  flapBits = 0;
  flapCount = 0;
  flapping = false;
  /** The last event that went out: its level and whether it was firing. */
  sentLevel = INFO;
  sentFiring = false;
  /** Bit per level sent as firing since the last resolved that went out. */
  sentMask = 0;
  /** The `startsAt` of the last event that went out. */
  sentStartsAt = Number.NaN;
  /** Whether the store holds a record of this state (stored-level.ts). */
  stored = false;
  /** Whether its record is to be written (or deleted) with the events of this step. */
  dirty = false;
  /** Set when the state was forgotten: bindings that still hold it look the series up again. */
  removed = false;
  // The summed value of a `sum_over` group, for the window end `sumTime`.
  sum = 0;
  sumTime = Number.NaN;
  sumPartial = false;
  sumMessage: string | undefined = undefined;
  touched = false;
  // The silence list (least recently seen first).
  prev: SeriesState | undefined = undefined;
  next: SeriesState | undefined = undefined;
  list: SilenceList | undefined = undefined;

  private cachedIdentity: AlertIdentity | undefined = undefined;
  /** Whether `cachedIdentity` is the one restored from the store. */
  private storedIdentity: boolean;

  /** Keyed by rule and content: the rule's index and `seriesKey`. */
  readonly key: string;

  constructor(
    /** `Series.key`, or the key of a `sum_over` group. */
    readonly seriesKey: string,
    readonly rule: CompiledRule,
    /**
     * The series the identity is taken from (for a group, its first member); undefined for
     * a state restored from the store until its series comes back.
     */
    public series: Series | undefined,
    now: number,
    identity?: AlertIdentity,
  ) {
    this.key = `${rule.index}|${seriesKey}`;
    this.since = now;
    this.lastSeen = now;
    this.cachedIdentity = identity;
    this.storedIdentity = identity !== undefined;
  }

  /**
   * After the alert restored from the store is resolved: later alerts take the identity of
   * the series as it is now (the rule's labels may have changed while the agent was down),
   * once the series is back. Until then, events keep the identity the alert went out with.
   */
  leaveStoredIdentity(): void {
    if (!this.storedIdentity || this.series === undefined) return;
    this.storedIdentity = false;
    this.cachedIdentity = undefined;
  }

  recordResult(notifying: boolean): void {
    this.flapBits = recordResult(this.flapBits, notifying);
    if (this.flapCount < FLAP_RESULTS) this.flapCount++;
  }

  flapPercent(): number {
    return percentChange(this.flapBits, this.flapCount);
  }

  /**
   * Labels and fingerprint, made on the first event: most series never change level, and
   * cleaning labels and hashing them is most of what a new series would cost.
   */
  get identity(): AlertIdentity {
    this.cachedIdentity ??= alertIdentity(this.rule, this.series!);
    return this.cachedIdentity;
  }
}

/**
 * States ordered by when they were last seen, oldest first: an intrusive doubly linked list,
 * so moving a state to the end on each point is a few pointer writes and the next state to
 * go silent is always at the head.
 */
export class SilenceList {
  head: SeriesState | undefined = undefined;
  tail: SeriesState | undefined = undefined;

  append(state: SeriesState): void {
    state.list = this;
    state.prev = this.tail;
    state.next = undefined;
    if (this.tail === undefined) this.head = state;
    else this.tail.next = state;
    this.tail = state;
  }

  remove(state: SeriesState): void {
    if (state.prev === undefined) this.head = state.next;
    else state.prev.next = state.next;
    if (state.next === undefined) this.tail = state.prev;
    else state.next.prev = state.prev;
    state.prev = undefined;
    state.next = undefined;
    state.list = undefined;
  }

  /** Moves the state to the end of this list (from this one or another). */
  touch(state: SeriesState): void {
    if (this.tail === state) return;
    state.list?.remove(state);
    this.append(state);
  }
}
