/** Monitoring levels: the ancestor's four, plus `unknown` when data stops. */
export const LEVELS = ['info', 'warning', 'error', 'critical', 'unknown'] as const;
export type Level = (typeof LEVELS)[number];

export type EventState = 'firing' | 'resolved';

/** A health event (alert): the second signal. */
export interface HealthEvent {
  /** Stable hash of the identifying labels: service + rule + series attributes + labels, without the level. */
  readonly fingerprint: string;
  readonly service: string;
  readonly rule: string;
  readonly level: Level;
  readonly previousLevel: Level;
  readonly value: number;
  readonly threshold: number;
  /** Window length in milliseconds that produced the value, when there was one. */
  readonly window?: number;
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly state: EventState;
  readonly labels: Readonly<Record<string, string>>;
  /** When the event was emitted (ms since epoch). */
  readonly time: number;
}

export type EventBatch = readonly HealthEvent[];
