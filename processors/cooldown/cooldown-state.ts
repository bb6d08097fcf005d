import { Subscription, type SchedulerLike, type Subscriber } from 'rxjs';
import { HealthpipeError, delayInSteps } from '../../src/index.js';
import type { ComponentStorage, EventBatch, KeyValueStore, RuntimeSilence, SilenceBook } from '../../src/index.js';
import { fromStored, toStored, type StoredRecord } from './alert-record.js';
import { AlertBook } from './alert-book.js';
import type { SilenceConfig } from './config.js';
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
  /** The agent's run-time silences, honoured beside the configured ones. */
  readonly runtimeSilences?: SilenceBook | undefined;
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
 * One subscription's cooldown, mirrored in the store. Each step (a batch, a timer) is
 * decided in memory by the AlertBook, then what changed is written and what goes out is
 * emitted in one store transaction, so "decided to notify" and "the sink's outbox holds it"
 * commit together. A store error fails the subscription (the pipeline restarts it, and it
 * reloads from the store, which rolled the step back), so memory never runs ahead of the store.
 */
export class CooldownState {
  private readonly book: AlertBook;
  private readonly store: KeyValueStore;
  private readonly silences: Silences;
  private readonly timers = new Subscription();
  /** The end of each run-time silence, by id: bounded by the book's bound. */
  private readonly runtimeEnds = new Map<string, Subscription>();
  private timer: Subscription | undefined;
  private armedAt = Infinity;

  constructor(
    private readonly settings: CooldownSettings,
    private readonly subscriber: Subscriber<EventBatch>,
  ) {
    this.store = settings.storage.keyed(RECORDS_NAMESPACE);
    this.silences = new Silences(settings.silences, settings.scheduler.now());
    this.book = new AlertBook({ ...settings, silences: this.silences });
  }

  /** Alerts held now, for tests and self-telemetry. */
  get size(): number {
    return this.book.records.size;
  }

  get scheduled(): number {
    return this.book.scheduled;
  }

  /** Loads the records a previous run left, re-arms their timers and the silences' ends. */
  start(): void {
    // The run-time silences first: whether a restored alert is muted decides its timer.
    const book = this.settings.runtimeSilences;
    if (book !== undefined) this.timers.add(book.changes$.subscribe((silences) => this.runtimeSilencesChanged(silences)));
    const now = this.settings.scheduler.now();
    for (const [key, stored] of this.store.entries<StoredRecord>()) {
      const record = fromStored(stored);
      if (record !== undefined) this.book.restore(key, record, now);
    }
    for (const silence of this.silences.list) {
      this.timers.add(delayInSteps(silence.endsAt - now, this.settings.scheduler).subscribe(() => this.step((at) => this.book.silenceEnded(at))));
    }
    this.arm();
  }

  add(batch: EventBatch): void {
    this.step((now) => {
      for (let i = 0; i < batch.length; i++) this.book.add(batch[i]!, now);
    });
  }

  dispose(): void {
    this.timers.unsubscribe();
    this.timer?.unsubscribe();
    for (const end of this.runtimeEnds.values()) end.unsubscribe();
    this.runtimeEnds.clear();
  }

  /**
   * A run-time silence mutes from its start as a configured one does (the book's list is
   * what `muting` reads); its end, or an early expiry, takes the path of a configured
   * silence's end: what it held back that still fires goes out then.
   */
  private runtimeSilencesChanged(silences: readonly RuntimeSilence[]): void {
    const { added, removed } = this.silences.setRuntime(silences);
    const { scheduler } = this.settings;
    for (const silence of added) {
      const id = silence.id!;
      this.runtimeEnds.set(
        id,
        delayInSteps(silence.endsAt - scheduler.now(), scheduler).subscribe(() => {
          this.runtimeEnds.delete(id);
          this.step((at) => this.book.silenceEnded(at));
        }),
      );
    }
    for (const id of removed) {
      this.runtimeEnds.get(id)?.unsubscribe();
      this.runtimeEnds.delete(id);
    }
    if (removed.length > 0) this.step((at) => this.book.silenceEnded(at));
  }

  /** Decides, then writes and emits what was decided in one transaction; then re-arms the timer. */
  private step(decide: (now: number) => void): void {
    if (this.subscriber.closed) return;
    decide(this.settings.scheduler.now());
    const { dirty, expired, out, repeats, overflow } = this.book.take();
    if (repeats > 0) this.settings.onRepeat?.(repeats);
    if (overflow > 0) this.settings.onOverflow?.(overflow);
    if (dirty.size > 0 || expired.size > 0 || out.length > 0) {
      try {
        this.settings.storage.transaction(() => {
          for (const key of dirty) this.store.set(key, toStored(this.book.records.get(key)!));
          for (const key of expired) this.store.delete(key);
          if (out.length > 0) this.subscriber.next(out);
        });
      } catch (error) {
        this.fail(error);
        return;
      }
    }
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
    const next = this.book.nextDue;
    if (next >= this.armedAt) return;
    this.timer?.unsubscribe();
    this.armedAt = next;
    const { scheduler } = this.settings;
    this.timer = delayInSteps(next - scheduler.now(), scheduler).subscribe(() => {
      this.armedAt = Infinity;
      this.timer = undefined;
      this.step((now) => this.book.due(now));
    });
  }
}
