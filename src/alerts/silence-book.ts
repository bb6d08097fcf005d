import { randomUUID } from 'node:crypto';
import { BehaviorSubject, type SchedulerLike, type Subscription } from 'rxjs';
import { z } from 'zod';
import type { KeyValueStore } from '../component/storage.js';
import type { RuntimeSilence, SilenceBook, SilenceInit } from '../component/silences.js';
import { delayInSteps } from '../component/long-timer.js';
import { HealthpipeError } from '../errors.js';
import { silenceComment, silenceMatchers } from './silence-input.js';

/** Silences not yet ended held at once: each is checked against every firing alert. */
export const MAX_SILENCES = 1000;

const initSchema = z.strictObject({
  matchers: silenceMatchers(),
  startsAt: z.number(),
  endsAt: z.number(),
  comment: silenceComment(),
});

/** A row as a previous run stored it; anything else in the scope is dropped. */
const storedSchema = initSchema.extend({ id: z.string().min(1), createdAt: z.number() });

export interface SilenceBookOptions {
  /** Ids of new silences; UUIDs by default. */
  readonly newId?: () => string;
  /** Most silences not yet ended; MAX_SILENCES by default. */
  readonly maxSilences?: number;
}

/**
 * The agent's run-time silences in one keyed scope of the store (one row per silence), so
 * that they survive a restart. Given a scheduler, the book announces each silence's end on
 * `changes$` when it comes; given only a clock, ended silences leave when the list is next
 * read. Ended silences leave the store too.
 */
export class StoredSilenceBook implements SilenceBook {
  private readonly silences: BehaviorSubject<readonly RuntimeSilence[]>;
  readonly changes$;
  private readonly now: () => number;
  private readonly scheduler: SchedulerLike | undefined;
  private readonly newId: () => string;
  private readonly maxSilences: number;
  private endTimer: Subscription | undefined;
  private endTimerAt = Infinity;

  constructor(
    private readonly store: KeyValueStore,
    clock: SchedulerLike | (() => number),
    options: SilenceBookOptions = {},
  ) {
    this.scheduler = typeof clock === 'function' ? undefined : clock;
    this.now = typeof clock === 'function' ? clock : () => clock.now();
    this.newId = options.newId ?? randomUUID;
    this.maxSilences = options.maxSilences ?? MAX_SILENCES;
    this.silences = new BehaviorSubject(this.current(this.stored()));
    this.changes$ = this.silences.asObservable();
    this.armEnd();
  }

  list(): readonly RuntimeSilence[] {
    this.publish(this.current(this.silences.value));
    return this.silences.value;
  }

  /** Throws a HealthpipeError (SILENCE_REFUSED) for an invalid init, one already ended, or one past the bound. */
  create(init: SilenceInit): RuntimeSilence {
    const now = this.now();
    const valid = this.validate(init, now);
    const live = this.current(this.silences.value);
    if (live.length >= this.maxSilences) {
      throw refused(`${live.length} silences are already active or pending (at most ${this.maxSilences}): expire some first`);
    }
    let id = this.newId();
    while (live.some((silence) => silence.id === id)) id = this.newId();
    const silence: RuntimeSilence = { ...valid, id, createdAt: now };
    this.store.set(id, silence);
    this.publish(this.current([...live, silence]));
    return silence;
  }

  expire(id: string): RuntimeSilence | undefined {
    const found = this.list().find((silence) => silence.id === id);
    if (found === undefined) return undefined;
    this.store.delete(id);
    this.publish(this.silences.value.filter((silence) => silence.id !== id));
    return { ...found, endsAt: this.now() };
  }

  /** Stops the end timer; the silences stay in the store for the next start. */
  close(): void {
    this.endTimer?.unsubscribe();
    this.endTimer = undefined;
    this.endTimerAt = Infinity;
  }

  private validate(init: SilenceInit, now: number): SilenceInit {
    const parsed = initSchema.safeParse(init);
    if (!parsed.success) throw refused(z.prettifyError(parsed.error).replaceAll('\n', '; '));
    const silence = parsed.data;
    if (!(silence.endsAt > silence.startsAt)) throw refused('endsAt must be later than startsAt');
    if (!(silence.endsAt > now)) throw refused('the silence has already ended');
    return silence;
  }

  /** The rows a previous run left; a row that is not a silence is dropped. */
  private stored(): RuntimeSilence[] {
    const silences: RuntimeSilence[] = [];
    for (const [key, value] of this.store.entries()) {
      const parsed = storedSchema.safeParse(value);
      if (parsed.success && parsed.data.id === key) silences.push(parsed.data);
      else this.store.delete(key);
    }
    return silences;
  }

  private publish(silences: readonly RuntimeSilence[]): void {
    if (!sameSilences(silences, this.silences.value)) this.silences.next(silences);
    this.armEnd();
  }

  /** One timer, at the earliest end: the list changes then. */
  private armEnd(): void {
    if (this.scheduler === undefined) return;
    let next = Infinity;
    for (const silence of this.silences.value) next = Math.min(next, silence.endsAt);
    if (next === this.endTimerAt) return;
    this.close();
    if (next === Infinity) return;
    this.endTimerAt = next;
    this.endTimer = delayInSteps(next - this.now(), this.scheduler).subscribe(() => {
      this.endTimer = undefined;
      this.endTimerAt = Infinity;
      this.publish(this.current(this.silences.value));
    });
  }

  /** Not ended, by start time; the ended ones leave the store too. */
  private current(silences: readonly RuntimeSilence[]): readonly RuntimeSilence[] {
    const now = this.now();
    const kept: RuntimeSilence[] = [];
    for (const silence of silences) {
      if (silence.endsAt > now) kept.push(silence);
      else this.store.delete(silence.id);
    }
    return kept.sort((a, b) => a.startsAt - b.startsAt || a.createdAt - b.createdAt);
  }
}

function refused(reason: string): HealthpipeError {
  return new HealthpipeError('SILENCE_REFUSED', `silence refused: ${reason}`);
}

function sameSilences(a: readonly RuntimeSilence[], b: readonly RuntimeSilence[]): boolean {
  return a.length === b.length && a.every((silence, index) => silence === b[index]);
}
