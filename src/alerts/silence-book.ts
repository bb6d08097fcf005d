import { randomUUID } from 'node:crypto';
import { BehaviorSubject } from 'rxjs';
import type { KeyValueStore } from '../component/storage.js';
import type { RuntimeSilence, SilenceBook, SilenceInit } from '../component/silences.js';

/**
 * The agent's run-time silences in one keyed scope of the store (one row per silence), so
 * that they survive a restart. Ended silences are deleted when the list is next read.
 */
export class StoredSilenceBook implements SilenceBook {
  private readonly silences: BehaviorSubject<readonly RuntimeSilence[]>;
  readonly changes$;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
    private readonly newId: () => string = randomUUID,
  ) {
    this.silences = new BehaviorSubject(this.current(store.entries<RuntimeSilence>().map(([, silence]) => silence)));
    this.changes$ = this.silences.asObservable();
  }

  list(): readonly RuntimeSilence[] {
    const current = this.current(this.silences.value);
    if (current.length !== this.silences.value.length) this.silences.next(current);
    return current;
  }

  create(init: SilenceInit): RuntimeSilence {
    const silence: RuntimeSilence = { ...init, matchers: { ...init.matchers }, id: this.newId(), createdAt: this.now() };
    this.store.set(silence.id, silence);
    this.silences.next(this.current([...this.silences.value, silence]));
    return silence;
  }

  expire(id: string): RuntimeSilence | undefined {
    const found = this.list().find((silence) => silence.id === id);
    if (found === undefined) return undefined;
    const ended: RuntimeSilence = { ...found, endsAt: this.now() };
    this.store.delete(id);
    this.silences.next(this.silences.value.filter((silence) => silence.id !== id));
    return ended;
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
