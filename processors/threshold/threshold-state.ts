import type { SchedulerLike, Subscriber } from 'rxjs';
import type { ComponentStorage, KeyValueStore } from '../../src/component/storage.js';
import { SubscriberTimer } from '../../src/component/subscriber-timer.js';
import { HealthpipeError } from '../../src/errors.js';
import type { EventBatch, HealthEvent } from '../../src/model/event.js';
import type { MetricBatch } from '../../src/model/point.js';
import type { Series, SeriesDescriptor } from '../../src/model/series.js';
import { changeEvent, unwatchedEvent, type ChangeCause } from './events.js';
import { groupKey } from './identity.js';
import { CRITICAL, INFO, UNKNOWN, levelIndex } from './levels.js';
import type { CompiledRule } from './rule.js';
import { SeriesState, SilenceList } from './series-state.js';
import { LEVELS_NAMESPACE, fromStored, storeKey, storedIdentity, toStored, worthStoring, type StoredLevel } from './stored-level.js';

export interface ThresholdSettings {
  readonly rules: readonly CompiledRule[];
  /** Silence (ms) after which a series becomes `unknown`; undefined: never. */
  readonly noData: number | undefined;
  readonly expireAfter: number;
  readonly maxSeries: number;
  readonly flapDetection: boolean;
  readonly flapHigh: number;
  readonly flapLow: number;
  /** The window length events report; undefined: inferred per series. */
  readonly window: number | undefined;
  readonly scheduler: SchedulerLike;
  /** Called at most once per batch with the number of points of series refused at `maxSeries`. */
  readonly onDrop: ((count: number) => void) | undefined;
  /**
   * Where the levels outlive a restart (stored-level.ts), written with the events in one
   * transaction; undefined: in memory only.
   */
  readonly storage: ComponentStorage | undefined;
  /** The component id, for errors. */
  readonly component: string;
}

/** The binding of a series no rule reads: shared, so such series cost one map entry. */
const NO_STATES: readonly SeriesState[] = [];

/**
 * The levels of one subscription. Per point: one map lookup by the Series object (its
 * rules and states, found once per object), a few comparisons, and two pointer moves in the
 * silence list; an allocation only when a level changes and an event goes out.
 */
export class ThresholdState {
  /**
   * The states each Series object feeds, or NO_STATES. A cache, not the state: cleared when
   * it grows past `cacheLimit` (Series objects of restarted receivers leave old entries).
   */
  private readonly bindings = new Map<Series, readonly SeriesState[]>();
  private readonly cacheLimit: number;
  /** Per metric descriptor (shared by its series): the aggregates its rules read, or null. */
  private readonly byDescriptor = new Map<SeriesDescriptor, readonly string[] | null>();
  /** Keyed by rule and `series.key` (the content), so a restarted receiver's series find their state. */
  private readonly states = new Map<string, SeriesState>();
  /** States with recent points, least recently seen first. */
  private readonly watched = new SilenceList();
  /** States that went `unknown`, least recently seen first, until they expire. */
  private readonly silent = new SilenceList();
  private readonly groups: SeriesState[] = [];
  private events: HealthEvent[] | undefined;
  /** States whose stored record changes with this step's events. */
  private readonly dirty: SeriesState[] = [];
  /** Store keys to delete with this step's events (records no state took up). */
  private readonly forgotten: string[] = [];
  private readonly store: KeyValueStore | undefined;
  /**
   * When this subscription began: a state restored from the store becomes `unknown` no
   * earlier than `no_data` after it, since the window needs that long after a restart to
   * say anything.
   */
  private readonly startedAt: number;
  private now = 0;
  private readonly timer: SubscriberTimer;

  constructor(
    private readonly settings: ThresholdSettings,
    private readonly subscriber: Subscriber<EventBatch>,
  ) {
    this.cacheLimit = Math.max(4 * settings.maxSeries, 10_000);
    this.timer = new SubscriberTimer(settings.scheduler, subscriber, () => this.onTimer());
    this.store = settings.storage?.keyed(LEVELS_NAMESPACE);
    this.startedAt = settings.scheduler.now();
    this.now = this.startedAt;
  }

  /**
   * Takes up the levels a previous run stored: each series continues from the last event it
   * sent, and is watched for silence like any other, from its stored last-seen time. What
   * cannot be taken up (its rule is gone, or past `max_series`, most recently seen kept) is
   * forgotten, with a last `resolved` if its alert was firing. Anything to send goes out on
   * the first timer, not inside subscribe.
   */
  start(): void {
    if (this.store === undefined) return;
    const rules = new Map(this.settings.rules.map((rule) => [rule.name, rule]));
    const restorable: Array<[string, StoredLevel]> = [];
    for (const [key, value] of this.store.entries()) {
      const record = fromStored(value);
      if (record === undefined || rules.get(record.rule) === undefined || key !== storeKey(record.rule, record.series)) {
        this.forget(key, record);
        continue;
      }
      restorable.push([key, record]);
    }
    restorable.sort((a, b) => b[1].lastSeen - a[1].lastSeen);
    for (const [key, record] of restorable.splice(this.settings.maxSeries)) this.forget(key, record);
    // Oldest first, as the silence list wants them; every state seen from now on comes after.
    for (let i = restorable.length - 1; i >= 0; i--) {
      const record = restorable[i]![1];
      const state = new SeriesState(record.series, rules.get(record.rule)!, undefined, record.lastSeen, storedIdentity(record));
      state.level = state.sentLevel = levelIndex(record.level);
      state.since = state.sentStartsAt = record.startsAt;
      state.sentFiring = record.firing;
      state.sentMask = record.sentMask;
      if (record.window !== undefined) state.minGap = record.window;
      state.stored = true;
      this.states.set(state.key, state);
      this.watched.append(state);
    }
    if (this.events !== undefined || this.forgotten.length > 0) this.timer.set(this.startedAt);
    else this.scheduleTimer();
  }

  get liveStates(): number {
    return this.states.size;
  }

  get timerPending(): boolean {
    return this.timer.pending;
  }

  add(batch: MetricBatch): void {
    const now = this.settings.scheduler.now();
    this.now = now;
    const bindings = this.bindings;
    const watched = this.watched;
    let refused = 0;
    for (let i = 0; i < batch.length; i++) {
      const point = batch[i]!;
      const value = point.value;
      if (value !== value) {
        if (point.stale === true) this.leave(point.series);
        continue;
      }
      const series = point.series;
      // Most figures are read by no rule (other metrics, other aggregates): ruled out through
      // a small map of metrics before the large one of Series objects is touched.
      let aggregates = this.byDescriptor.get(series.descriptor);
      if (aggregates === undefined) aggregates = this.aggregatesOf(series.descriptor);
      if (aggregates === null || !aggregates.includes(series.attributes['aggregate'] as string)) continue;
      let states = bindings.get(series);
      if (states !== undefined && states.length > 0) {
        for (let k = 0; k < states.length; k++) {
          if (states[k]!.removed) {
            states = undefined;
            break;
          }
        }
      }
      if (states === undefined) {
        states = this.bind(series);
        if (states === undefined) {
          refused++;
          continue;
        }
      }
      for (let k = 0; k < states.length; k++) {
        const state = states[k]!;
        state.lastSeen = now;
        watched.touch(state);
        if (state.rule.sumOver !== undefined) this.addToGroup(state, value, point.time, point.partial === true, point.message);
        else if (point.partial !== true) this.evaluate(state, value, point.time, point.message);
      }
    }
    const groups = this.groups;
    for (let g = 0; g < groups.length; g++) this.closeGroup(groups[g]!);
    groups.length = 0;
    if (refused > 0) this.settings.onDrop?.(refused);
    this.scheduleTimer();
    this.emit();
  }

  dispose(): void {
    this.timer.cancel();
    this.bindings.clear();
    this.byDescriptor.clear();
    this.states.clear();
    this.dirty.length = 0;
    this.forgotten.length = 0;
    this.watched.head = this.watched.tail = undefined;
    this.silent.head = this.silent.tail = undefined;
  }

  private onTimer(): void {
    const now = this.settings.scheduler.now();
    this.now = now;
    const { noData, expireAfter } = this.settings;
    for (let state = this.watched.head; state !== undefined && this.silentAt(state) <= now; state = this.watched.head) {
      // A state restored after a downtime longer than `expire_after` is forgotten at once, not first made unknown.
      if (noData === undefined || state.lastSeen + expireAfter <= now) {
        this.expire(state);
        continue;
      }
      this.silent.touch(state);
      // A partial point counts as data but does not leave `unknown`: such a state is silent already.
      if (state.level !== UNKNOWN) this.change(state, state.level, UNKNOWN, Number.NaN, now, undefined, 'no_data');
    }
    for (let state = this.silent.head; state !== undefined && state.lastSeen + expireAfter <= now; state = this.silent.head) {
      this.expire(state);
    }
    this.emit();
    if (!this.subscriber.closed) this.scheduleTimer();
  }

  /**
   * When a watched state goes silent: `no_data` after it was last seen (for a state
   * restored from the store, no earlier than `no_data` after this subscription began), or
   * forgotten `expire_after` after it was last seen, whichever comes first. Along the
   * watched list (last seen, oldest first; restored states before all others) this never
   * decreases, so the list's head is always the next one due.
   */
  private silentAt(state: SeriesState): number {
    const { noData, expireAfter } = this.settings;
    const expires = state.lastSeen + expireAfter;
    if (noData === undefined) return expires;
    return Math.min(Math.max(state.lastSeen, this.startedAt) + noData, expires);
  }

  /** A stored record no state takes up: deleted with the next events, after a last `resolved` if its alert was firing. */
  private forget(key: string, record: StoredLevel | undefined): void {
    this.forgotten.push(key);
    if (record?.firing === true) (this.events ??= []).push(unwatchedEvent(record, this.now, this.settings.expireAfter));
  }

  /** The aggregates the rules on a metric read, or null when no rule reads the metric. */
  private aggregatesOf(descriptor: SeriesDescriptor): readonly string[] | null {
    const read = this.settings.rules.filter((rule) => rule.metric === descriptor.name).map((rule) => rule.aggregate);
    const aggregates = read.length === 0 ? null : [...new Set(read)];
    // Receivers keep a descriptor per metric, so this stays small; bounded all the same.
    if (this.byDescriptor.size >= this.cacheLimit) this.byDescriptor.clear();
    this.byDescriptor.set(descriptor, aggregates);
    return aggregates;
  }

  /** The states a Series object feeds, made on its first point; undefined when `maxSeries` refuses one. */
  private bind(series: Series): readonly SeriesState[] | undefined {
    let bound: SeriesState[] | undefined;
    for (const rule of this.settings.rules) {
      if (!rule.matches(series)) continue;
      const seriesKey = rule.sumOver === undefined ? series.key : groupKey(series, rule.sumOver);
      let state = this.states.get(`${rule.index}|${seriesKey}`);
      if (state === undefined) {
        if (this.states.size >= this.settings.maxSeries) return undefined;
        state = new SeriesState(seriesKey, rule, series, this.now);
        this.states.set(state.key, state);
        this.watched.append(state);
      } else state.series ??= series;
      (bound ??= []).push(state);
    }
    const states = bound ?? NO_STATES;
    if (this.bindings.size >= this.cacheLimit) this.bindings.clear();
    this.bindings.set(series, states);
    return states;
  }

  /** Adds a point into its group's sum for the point's window; a group's sum is judged once per window. */
  private addToGroup(state: SeriesState, value: number, time: number, partial: boolean, message: string | undefined): void {
    if (state.sumTime !== time) {
      if (state.touched) this.closeGroup(state);
      state.sumTime = time;
      state.sum = 0;
      state.sumPartial = false;
      state.sumMessage = undefined;
    }
    state.sum += value;
    if (partial) state.sumPartial = true;
    if (message !== undefined) state.sumMessage = message;
    if (!state.touched) {
      state.touched = true;
      this.groups.push(state);
    }
  }

  private closeGroup(state: SeriesState): void {
    if (!state.touched) return;
    state.touched = false;
    if (!state.sumPartial) this.evaluate(state, state.sum, state.sumTime, state.sumMessage);
    state.sumTime = Number.NaN;
  }

  /** One whole figure of the series: the level it supports, held by `for` and `keep_firing_for`. */
  private evaluate(state: SeriesState, value: number, time: number, message: string | undefined): void {
    const gap = time - state.lastTime;
    if (gap > 0 && gap < state.minGap) state.minGap = gap;
    state.lastTime = time;
    state.lastValue = value;
    const rule = state.rule;
    const current = state.level;
    const base = current === UNKNOWN ? INFO : current;
    const reached = rule.levelOf(value, current);
    const forMs = rule.forMs;
    if (forMs > 0) {
      const since = state.reachedSince;
      for (let level = INFO + 1; level <= CRITICAL; level++) {
        if (reached < level) since[level] = Number.NaN;
        else if (since[level] !== since[level]) since[level] = time;
      }
    }
    let next = base;
    if (reached > base) {
      state.lowerSince = Number.NaN;
      if (forMs === 0) next = reached;
      else {
        // The highest level the value has stood at for `for`, counted from its first sample there.
        for (let level = reached; level > base; level--) {
          if (time - state.reachedSince[level]! >= forMs) {
            next = level;
            break;
          }
        }
      }
    } else if (reached < base) {
      const keepMs = rule.keepMs;
      if (keepMs === 0) next = reached;
      else {
        if (state.lowerSince !== state.lowerSince) state.lowerSince = time;
        if (time - state.lowerSince >= keepMs) next = reached;
      }
    } else {
      state.lowerSince = Number.NaN;
    }
    if (next !== current) this.change(state, current, next, value, time, message, 'value');
    else if (this.settings.flapDetection) {
      state.recordResult(((rule.notifyMask >>> next) & 1) === 1);
      if (state.flapping) this.settle(state);
    }
  }

  /**
   * A level change: recorded for flap detection, then sent unless flapping holds it. A
   * flapping series sends one event marked `flapping`, then only firing at a level not sent
   * since the last resolve before the episode (an escalation), until its change rate falls
   * below `flap_low`; then its state goes out if it differs from the last one sent.
   */
  private change(
    state: SeriesState,
    from: number,
    to: number,
    value: number,
    time: number,
    message: string | undefined,
    cause: ChangeCause,
  ): void {
    state.level = to;
    state.since = time;
    state.lowerSince = Number.NaN;
    if (to === UNKNOWN) state.reachedSince.fill(Number.NaN);
    const firing = ((state.rule.notifyMask >>> to) & 1) === 1;
    if (!this.settings.flapDetection) return this.send(state, from, to, value, time, message, cause, false);
    state.recordResult(firing);
    const percent = state.flapPercent();
    if (!state.flapping) {
      if (percent >= this.settings.flapHigh) {
        state.flapping = true;
        return this.send(state, from, to, value, time, message, cause, true);
      }
      return this.send(state, from, to, value, time, message, cause, false);
    }
    if (percent < this.settings.flapLow) {
      state.flapping = false;
      if (to !== state.sentLevel || firing !== state.sentFiring) this.send(state, state.sentLevel, to, value, time, message, cause, false);
      return;
    }
    if (firing && (state.sentMask & (1 << to)) === 0) this.send(state, from, to, value, time, message, cause, false);
  }

  /** A flapping series without a change this time: settled once its rate falls below `flap_low`. */
  private settle(state: SeriesState): void {
    if (state.flapPercent() >= this.settings.flapLow) return;
    state.flapping = false;
    const firing = ((state.rule.notifyMask >>> state.level) & 1) === 1;
    if (state.level === state.sentLevel && firing === state.sentFiring) return;
    const cause: ChangeCause = state.level === UNKNOWN ? 'no_data' : 'value';
    this.send(state, state.sentLevel, state.level, state.lastValue, state.since, undefined, cause, false);
  }

  private send(
    state: SeriesState,
    from: number,
    to: number,
    value: number,
    startsAt: number,
    message: string | undefined,
    cause: ChangeCause,
    flapping: boolean,
  ): void {
    const event = changeEvent({
      state,
      from,
      to,
      value,
      startsAt,
      now: this.now,
      cause,
      message,
      flapping,
      silence: cause === 'expired' ? this.settings.expireAfter : (this.settings.noData ?? 0),
      window: this.settings.window ?? (Number.isFinite(state.minGap) ? state.minGap : undefined),
    });
    (this.events ??= []).push(event);
    state.sentLevel = to;
    state.sentStartsAt = startsAt;
    state.sentFiring = event.state === 'firing';
    if (!state.sentFiring) state.leaveStoredIdentity();
    this.markDirty(state);
    // A resolve sent while flapping (the flapping event itself) does not end the episode:
    // the levels it flapped through stay held until it settles.
    if (state.sentFiring) state.sentMask |= 1 << to;
    else if (!state.flapping) state.sentMask = 0;
  }

  /**
   * Forgets a series silent for `expire_after`, or whose source left (`left`). If its alert
   * is firing as far as anyone was told, a last `resolved` says it is no longer watched, so
   * no sink keeps it active for ever; the stored record goes with it. A series that left is
   * resolved to `info`, not `unknown`: a service that left is not a service that went silent.
   */
  private expire(state: SeriesState, cause: 'expired' | 'left' = 'expired'): void {
    state.list?.remove(state);
    this.states.delete(state.key);
    state.removed = true;
    if (state.sentFiring) this.send(state, state.level, cause === 'left' ? INFO : UNKNOWN, Number.NaN, this.now, undefined, cause, false);
    else if (state.stored) this.markDirty(state);
  }

  /**
   * A staleness marker: the series' source left on purpose. Its states are forgotten at once,
   * their no-data clock with them (no `unknown` ever), resolved if firing. A `sum_over`
   * group is not: its other members may still feed it. A later point starts a new state.
   */
  private leave(series: Series): void {
    let aggregates = this.byDescriptor.get(series.descriptor);
    if (aggregates === undefined) aggregates = this.aggregatesOf(series.descriptor);
    if (aggregates === null || !aggregates.includes(series.attributes['aggregate'] as string)) return;
    for (const rule of this.settings.rules) {
      if (rule.sumOver !== undefined || !rule.matches(series)) continue;
      const state = this.states.get(`${rule.index}|${series.key}`);
      if (state !== undefined) this.expire(state, 'left');
    }
  }

  private markDirty(state: SeriesState): void {
    if (this.store === undefined || state.dirty) return;
    state.dirty = true;
    this.dirty.push(state);
  }

  /**
   * Sends this step's events. With a store, the records of the states that sent them are
   * written (or deleted) and the events handed on in one transaction (src/delivery/README.md,
   * "Atomic"): a SIGKILL keeps both or neither. A store error sends nothing and fails the
   * subscription, whose restart reloads what the store still holds.
   */
  private emit(): void {
    const events = this.events;
    const store = this.store;
    if (store === undefined || (this.dirty.length === 0 && this.forgotten.length === 0)) {
      if (events === undefined) return;
      this.events = undefined;
      this.subscriber.next(events);
      return;
    }
    this.events = undefined;
    const dirty = this.dirty.splice(0);
    const forgotten = this.forgotten.splice(0);
    try {
      this.settings.storage!.transaction(() => {
        for (const key of forgotten) store.delete(key);
        for (const state of dirty) {
          state.dirty = false;
          const keep = worthStoring(state);
          if (keep) store.set(storeKey(state.rule.name, state.seriesKey), toStored(state));
          else if (state.stored) store.delete(storeKey(state.rule.name, state.seriesKey));
          state.stored = keep;
        }
        if (events !== undefined) this.subscriber.next(events);
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.dispose();
    const reason = error instanceof Error ? error.message : String(error);
    const { component } = this.settings;
    this.subscriber.error(
      new HealthpipeError('STORAGE', `${component}: cannot record the levels, no event was sent: ${reason}`, { component, cause: error }),
    );
  }

  /**
   * One timer for every series: due when the least recently seen state goes silent or
   * expires. Points only move that moment later, so a pending timer that is due earlier
   * is kept (it fires, finds nothing due, and sets the next one) rather than replaced per batch.
   */
  private scheduleTimer(): void {
    const { expireAfter } = this.settings;
    let due = Infinity;
    const watched = this.watched.head;
    if (watched !== undefined) due = this.silentAt(watched);
    const silent = this.silent.head;
    if (silent !== undefined) due = Math.min(due, silent.lastSeen + expireAfter);
    if (due === Infinity) return this.timer.cancel();
    if (this.timer.pending && this.timer.due <= due) return;
    this.timer.set(due);
  }
}
