import { Subscription, type SchedulerLike, type Subscriber } from 'rxjs';
import type { ComponentStorage, KeyValueStore } from '../../src/component/storage.js';
import { delayInSteps } from '../../src/component/long-timer.js';
import { HealthpipeError } from '../../src/errors.js';
import type { EventBatch, HealthEvent, Level } from '../../src/model/event.js';
import { healthEvent } from '../../src/model/event-text.js';
import { fromStored, isActive, isOutOfDate, newRecord, toStored, type AlertRecord, type StoredRecord } from './alert-record.js';
import type { SilenceConfig } from './config.js';
import { DueQueue } from './due-queue.js';
import { Silences, type Silence } from './silences.js';

/** The store namespace of the alert records, one per fingerprint. */
export const RECORDS_NAMESPACE = 'alerts';

export interface CooldownSettings {
  /** The component id, for errors. */
  readonly component: string;
  readonly period: number;
  readonly repeatInterval: number | undefined;
  readonly sendResolved: boolean;
  readonly silences: readonly SilenceConfig[];
  readonly maxAlerts: number;
  readonly storage: ComponentStorage;
  readonly scheduler: SchedulerLike;
  /** Repeats dropped inside their cooldown, once per batch or timer step that dropped any. */
  readonly onRepeat: ((count: number) => void) | undefined;
  /** Events that passed untracked because `max_alerts` alerts are held. */
  readonly onOverflow: ((count: number) => void) | undefined;
  /** A silence muted a firing notification. */
  readonly onMuted: ((silence: Silence) => void) | undefined;
}

/**
 * The alerts of one subscription, mirrored in the store. Each step (a batch, a timer)
 * decides in memory, then writes what changed and emits what goes out in one store
 * transaction, so "decided to notify" and "the sink's outbox holds it" commit together. A
 * store error fails the subscription (the pipeline restarts it, and it reloads from the
 * store, which rolled the step back), so memory never runs ahead of the store.
 */
export class CooldownState {
  private readonly records = new Map<string, AlertRecord>();
  private readonly queue = new DueQueue((key) => this.records.get(key)?.due);
  private readonly store: KeyValueStore;
  private readonly silences: Silences;
  private readonly timers = new Subscription();
  private timer: Subscription | undefined;
  private armedAt = Infinity;
  // What the current step changed: records to write and delete, events to emit.
  private readonly dirty = new Set<string>();
  private readonly expired = new Set<string>();
  private out: HealthEvent[] = [];
  private repeats = 0;
  private overflow = 0;

  constructor(
    private readonly settings: CooldownSettings,
    private readonly subscriber: Subscriber<EventBatch>,
  ) {
    this.store = settings.storage.keyed(RECORDS_NAMESPACE);
    this.silences = new Silences(settings.silences, settings.scheduler.now());
  }

  /** Alerts held now, for tests and self-telemetry. */
  get size(): number {
    return this.records.size;
  }

  get scheduled(): number {
    return this.queue.size;
  }

  /** Loads the records a previous run left, re-arms their timers and the silences' ends. */
  start(): void {
    const now = this.settings.scheduler.now();
    for (const [key, stored] of this.store.entries<StoredRecord>()) {
      const record = fromStored(stored);
      if (record === undefined) continue;
      this.records.set(key, record);
      this.schedule(key, record, now);
    }
    for (const silence of this.silences.list) {
      this.timers.add(delayInSteps(silence.endsAt - now, this.settings.scheduler).subscribe(() => this.onSilenceEnd()));
    }
    this.arm();
  }

  add(batch: EventBatch): void {
    if (this.subscriber.closed) return;
    const now = this.settings.scheduler.now();
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      if (event.state === 'resolved') this.resolve(event, now);
      else this.fire(event, now);
    }
    this.commit();
  }

  dispose(): void {
    this.timers.unsubscribe();
    this.timer?.unsubscribe();
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
    const silence = this.silences.muting(event, now);
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
    if (record === undefined) {
      // Never a resolve for what was never notified; at the bound, it may be an untracked alert's.
      if (this.records.size >= this.settings.maxAlerts) {
        this.overflow++;
        this.out.push(event);
      }
      return;
    }
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
    if (this.silences.muting(current, now) !== undefined) return Infinity;
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
    if (current.state !== 'firing' || this.silences.muting(current, now) !== undefined) return;
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

  private onTimer(): void {
    if (this.subscriber.closed) return;
    const now = this.settings.scheduler.now();
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
    this.commit();
  }

  /** A silence ended: every alert it held back that still fires goes out, unless another silence or its cooldown holds it. */
  private onSilenceEnd(): void {
    if (this.subscriber.closed) return;
    const now = this.settings.scheduler.now();
    for (const [key, record] of this.records) {
      this.reconcile(key, record, now);
      this.schedule(key, record, now);
    }
    this.commit();
  }

  private *liveDues(): Iterable<[string, number]> {
    for (const [key, record] of this.records) yield [key, record.due];
  }

  /** Writes and emits what this step decided, in one transaction; then re-arms the timer. */
  private commit(): void {
    if (this.repeats > 0) this.settings.onRepeat?.(this.repeats);
    if (this.overflow > 0) this.settings.onOverflow?.(this.overflow);
    this.repeats = 0;
    this.overflow = 0;
    if (this.dirty.size > 0 || this.expired.size > 0 || this.out.length > 0) {
      const out = this.out;
      this.out = [];
      try {
        this.settings.storage.transaction(() => {
          for (const key of this.dirty) this.store.set(key, toStored(this.records.get(key)!));
          for (const key of this.expired) this.store.delete(key);
          if (out.length > 0) this.subscriber.next(out);
        });
      } catch (error) {
        this.fail(error);
        return;
      } finally {
        this.dirty.clear();
        this.expired.clear();
      }
    }
    this.queue.compact(this.liveDues(), this.records.size);
    this.arm();
  }

  private fail(error: unknown): void {
    this.dispose();
    const reason = error instanceof Error ? error.message : String(error);
    this.subscriber.error(
      new HealthpipeError('STORAGE', `${this.settings.component}: cannot record the cooldown's decisions, nothing was sent: ${reason}`, {
        component: this.settings.component,
        cause: error,
      }),
    );
  }

  /** One timer for every alert, at the earliest due time. */
  private arm(): void {
    const next = this.queue.peek();
    if (next >= this.armedAt) return;
    this.timer?.unsubscribe();
    this.armedAt = next;
    const { scheduler } = this.settings;
    this.timer = delayInSteps(next - scheduler.now(), scheduler).subscribe(() => {
      this.armedAt = Infinity;
      this.timer = undefined;
      this.onTimer();
    });
  }
}

/** An alert sent again by a timer: the same alert, emitted now. */
function resent(event: HealthEvent, now: number, previousLevel: Level): HealthEvent {
  return healthEvent({ ...event, previousLevel, time: now });
}
