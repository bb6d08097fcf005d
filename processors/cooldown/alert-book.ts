import type { HealthEvent, Level } from '../../src/model/event.js';
import { healthEvent } from '../../src/model/event-text.js';
import { isActive, isOutOfDate, newRecord, type AlertRecord } from './alert-record.js';
import { DueQueue } from './due-queue.js';
import type { Silence, Silences } from './silences.js';

export interface AlertBookSettings {
  readonly period: number;
  readonly repeatInterval: number | undefined;
  readonly sendResolved: boolean;
  readonly maxAlerts: number;
  readonly silences: Silences;
  /** A silence muted a firing notification. */
  readonly onMuted: ((silence: Silence) => void) | undefined;
}

/** What one step (a batch, a timer) decided: records to write and delete, events to emit, what it counted. */
export interface Step {
  readonly dirty: ReadonlySet<string>;
  readonly expired: ReadonlySet<string>;
  readonly out: readonly HealthEvent[];
  readonly repeats: number;
  readonly overflow: number;
}

/**
 * The alerts of one subscription and the rules of DESIGN §3, "Cooldown: repeat versus new
 * alert", in memory: which event goes out, which is a repeat, which is muted, and when each
 * alert next needs a timed step. It touches neither the store nor the stream: `take()` hands
 * the step's outcome to CooldownState, which writes and emits it in one transaction.
 */
export class AlertBook {
  readonly records = new Map<string, AlertRecord>();
  private readonly queue = new DueQueue((key) => this.records.get(key)?.due);
  private dirty = new Set<string>();
  private expired = new Set<string>();
  private out: HealthEvent[] = [];
  private repeats = 0;
  private overflow = 0;

  constructor(private readonly settings: AlertBookSettings) {}

  /** Entries in the timer queue, stale ones included. */
  get scheduled(): number {
    return this.queue.size;
  }

  /** The earliest time some alert needs a step; Infinity for none. */
  get nextDue(): number {
    return this.queue.peek();
  }

  /** An alert a previous run left in the store. */
  restore(key: string, record: AlertRecord, now: number): void {
    this.records.set(key, record);
    this.schedule(key, record, now);
  }

  add(event: HealthEvent, now: number): void {
    if (event.state === 'firing') this.fire(event, now);
    else if (event.left === true) this.leave(event);
    else this.resolve(event, now);
  }

  /** The timed steps due by `now`: expiries, held levels, repeats. */
  due(now: number): void {
    for (const key of this.queue.popDue(now)) {
      const record = this.records.get(key);
      if (record === undefined) continue;
      record.due = Infinity;
      if (record.current.state === 'resolved') {
        this.records.delete(key);
        this.dirty.delete(key);
        this.expired.add(key);
        continue;
      }
      this.reconcile(key, record, now);
      this.schedule(key, record, now);
    }
  }

  /** A silence ended: every alert it held back that still fires goes out, unless another silence or its cooldown holds it. */
  silenceEnded(now: number): void {
    for (const [key, record] of this.records) {
      this.reconcile(key, record, now);
      this.schedule(key, record, now);
    }
  }

  /** The step's outcome; the book starts the next step empty. */
  take(): Step {
    const step: Step = { dirty: this.dirty, expired: this.expired, out: this.out, repeats: this.repeats, overflow: this.overflow };
    this.dirty = new Set();
    this.expired = new Set();
    this.out = [];
    this.repeats = 0;
    this.overflow = 0;
    this.queue.compact(this.liveDues(), this.records.size);
    return step;
  }

  private fire(event: HealthEvent, now: number): void {
    const key = event.fingerprint;
    let record = this.records.get(key);
    if (record === undefined) {
      if (this.records.size >= this.settings.maxAlerts) {
        // Never lose an alert at the bound: rather a repeat than a silence.
        this.overflow++;
        this.out.push(event);
        return;
      }
      record = newRecord(event);
      this.records.set(key, record);
    }
    const { period } = this.settings;
    // One flapping event per episode passes whatever the cooldown says; an ordinary event ends the episode.
    const firstFlap = event.flapping === true && !(record.flappingAt !== undefined && now - record.flappingAt < period);
    if (event.flapping !== true) record.flappingAt = undefined;
    record.current = event;
    record.resolvedAt = undefined;
    if (!firstFlap && this.isRepeat(record, event.level, now)) {
      // Memory only: a dropped repeat costs no store write. A restart forgets the held level.
      this.repeats++;
      this.schedule(key, record, now);
      return;
    }
    const silence = this.settings.silences.muting(event, now);
    if (silence !== undefined) {
      this.settings.onMuted?.(silence);
      this.dirty.add(key);
    } else {
      this.send(key, record, event, now);
      if (firstFlap) record.flappingAt = now;
    }
    this.schedule(key, record, now);
  }

  private resolve(event: HealthEvent, now: number): void {
    const key = event.fingerprint;
    const record = this.records.get(key);
    if (record === undefined) return this.resolveUntracked(event);
    const wasActive = isActive(record);
    // Already resolved: nothing changes, not even its expiry.
    if (!wasActive && record.current.state === 'resolved') return;
    record.current = event;
    record.resolvedAt = now;
    record.flappingAt = event.flapping === true && wasActive ? now : undefined;
    if (wasActive) {
      // The alert is over: its cooldown keys go, and its next firing is a new alert.
      record.notified = event;
      record.notifiedAt = {};
      if (this.settings.sendResolved) {
        record.sentAt = now;
        this.out.push(event);
      }
    }
    this.dirty.add(key);
    this.schedule(key, record, now);
  }

  /**
   * The resolve of an alert whose series left for good (HealthEvent.left): it goes out at
   * once like any resolve of a notified alert, and the record is forgotten now, in memory
   * and in the store, rather than kept for a period: there is no flapping back to hold.
   */
  private leave(event: HealthEvent): void {
    const key = event.fingerprint;
    const record = this.records.get(key);
    if (record === undefined) return this.resolveUntracked(event);
    if (isActive(record) && this.settings.sendResolved) this.out.push(event);
    this.records.delete(key);
    this.dirty.delete(key);
    this.expired.add(key);
  }

  /** Never a resolve for what was never notified; at the bound, it may be an untracked alert's. */
  private resolveUntracked(event: HealthEvent): void {
    if (this.records.size < this.settings.maxAlerts) return;
    this.overflow++;
    this.out.push(event);
  }

  /**
   * A level notified inside the period while the alert is still firing. `notifiedAt` only
   * holds levels of a firing alert (a resolve empties it), so it alone answers.
   */
  private isRepeat(record: AlertRecord, level: Level, now: number): boolean {
    const at = record.notifiedAt[level];
    return at !== undefined && now - at < this.settings.period;
  }

  private send(key: string, record: AlertRecord, event: HealthEvent, now: number): void {
    record.current = event;
    record.notified = event;
    record.notifiedAt[event.level] = now;
    record.sentAt = now;
    record.resolvedAt = undefined;
    this.out.push(event);
    this.dirty.add(key);
  }

  /**
   * When the record next needs a timed step: a resolved alert expires a period after it
   * resolved; a held level change goes out when that level's cooldown ends; a firing alert
   * repeats `repeat_interval` after its last notification. A muted alert waits for its
   * silence to end.
   */
  private dueOf(record: AlertRecord, now: number): number {
    const { current } = record;
    if (current.state === 'resolved') return (record.resolvedAt ?? now) + this.settings.period;
    if (this.settings.silences.muting(current, now) !== undefined) return Infinity;
    let due = Infinity;
    if (isOutOfDate(record)) {
      const at = record.notifiedAt[current.level];
      due = at === undefined ? now : at + this.settings.period;
    }
    const { repeatInterval } = this.settings;
    if (repeatInterval !== undefined && isActive(record)) due = Math.min(due, record.sentAt + repeatInterval);
    return due;
  }

  private schedule(key: string, record: AlertRecord, now: number): void {
    const due = this.dueOf(record, now);
    if (due === record.due) return;
    record.due = due;
    if (due !== Infinity) this.queue.push(key, due);
  }

  /** Sends what the receiver lacks: a held or muted level, or a repeat that is due. */
  private reconcile(key: string, record: AlertRecord, now: number): void {
    const { current, notified } = record;
    if (current.state !== 'firing' || this.settings.silences.muting(current, now) !== undefined) return;
    if (isOutOfDate(record)) {
      const at = record.notifiedAt[current.level];
      if (at !== undefined && now - at < this.settings.period) return;
      // Its previous level is the one the receiver was last told of.
      const previous = notified?.state === 'firing' ? notified.level : current.previousLevel;
      this.send(key, record, resent(current, now, previous), now);
      return;
    }
    const { repeatInterval } = this.settings;
    if (repeatInterval !== undefined && now - record.sentAt >= repeatInterval) {
      this.send(key, record, resent(current, now, current.previousLevel), now);
    }
  }

  private *liveDues(): Iterable<[string, number]> {
    for (const [key, record] of this.records) yield [key, record.due];
  }
}

/** An alert sent again by a timer: the same alert, emitted now. */
function resent(event: HealthEvent, now: number, previousLevel: Level): HealthEvent {
  return healthEvent({ ...event, previousLevel, time: now });
}
