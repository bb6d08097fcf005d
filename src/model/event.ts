/** Monitoring levels: the ancestor's four, plus `unknown` when data stops. */
export const LEVELS = ['info', 'warning', 'error', 'critical', 'unknown'] as const;
export type Level = (typeof LEVELS)[number];

export type EventState = 'firing' | 'resolved';

/**
 * A health event (alert): the second signal. Build one with `healthEvent()` (event-text.ts),
 * which bounds every text and keeps secrets out of it; an event never carries raw text
 * from a plugin, a response body or an error.
 */
export interface HealthEvent {
  /** Stable hash of the identifying labels: service + rule + series attributes + labels, without the level. */
  readonly fingerprint: string;
  readonly service: string;
  readonly rule: string;
  readonly level: Level;
  readonly previousLevel: Level;
  readonly value: number;
  /**
   * The bound the value was compared with, as a number for arithmetic and sorting. For a
   * range (a Nagios `10:20`, `@~:5`), the end of the range nearest the value; NaN when no
   * end is finite. `thresholdText` says what was written.
   */
  readonly threshold: number;
  /**
   * The threshold as the user wrote it, when one number does not say it all: a Nagios range
   * (`10:20`, `@~:5`, `~:0.5`) or a rule's `above: 0.97`. Shown instead of `threshold` to people.
   */
  readonly thresholdText?: string;
  /** One line for people: a Nagios plugin's first output line, an HTTP error summary. */
  readonly message?: string;
  /** Free text for people, as Alertmanager's annotations: `summary`, `runbook_url`, … */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Window length in milliseconds that produced the value, when there was one. */
  readonly window?: number;
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly state: EventState;
  /**
   * Set by `threshold`'s flap detection (Nagios-style): `true` on the one event a series
   * emits when it starts flapping (its state is the series' current one), after which its
   * fire/resolve changes are held until it settles. Absent on every other event. Sinks show
   * it (an annotation); `cooldown` passes it once per flapping episode.
   */
  readonly flapping?: true;
  /**
   * Set by `threshold` on the `resolved` event of a series whose source left on purpose (a
   * staleness marker: an instance removed from its registry, a target gone): the alert is
   * over for good, not for now, so `cooldown` forgets it at once instead of keeping its
   * record for a period. Absent on every other event; sinks need not show it (the message says it).
   */
  readonly left?: true;
  readonly labels: Readonly<Record<string, string>>;
  /** When the event was emitted (ms since epoch). */
  readonly time: number;
}

export type EventBatch = readonly HealthEvent[];
