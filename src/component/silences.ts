import type { Observable } from 'rxjs';

/**
 * A silence made at run time (Alertmanager's model): exact-equality matchers on `service`,
 * `rule`, `level` or any label of an alert, all of which must hold, between two times.
 */
export interface RuntimeSilence {
  /** Made by the book (a UUID); what `expire` takes. */
  readonly id: string;
  readonly matchers: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt: number;
  /** Why, and by whom. */
  readonly comment: string;
  readonly createdAt: number;
}

export type SilenceInit = Omit<RuntimeSilence, 'id' | 'createdAt'>;

/**
 * The agent's run-time silences, kept in the store so that they survive a restart; shared by
 * every `cooldown` (which honours them as its configured ones) and the HTTP API (which makes
 * and expires them). Ended silences are forgotten.
 */
export interface SilenceBook {
  /** Silences that have not ended, by start time. */
  list(): readonly RuntimeSilence[];
  create(silence: SilenceInit): RuntimeSilence;
  /** Ends a silence now; undefined when no silence has this id (or it already ended). */
  expire(id: string): RuntimeSilence | undefined;
  /** The whole list after each change (create, expire, end). */
  readonly changes$: Observable<readonly RuntimeSilence[]>;
}
