import type { AttributeValue } from '../model/attributes.js';
import type { EventState, Level } from '../model/event.js';

/**
 * What `healthpipe status`, `healthpipe history` and the `http` extension ask of the store the
 * `history` exporter writes. Synchronous (better-sqlite3): every query is bounded in rows and
 * answers in milliseconds; times are ms since the epoch, never read from a clock here.
 */
export interface HistoryReader {
  /** False when no `history` exporter ever wrote to this store: every query then answers empty. */
  available(): boolean;
  /** Every service with points or health events in the store, by name. */
  services(): ServiceOverview[];
  /** One service as `services()` lists it, undefined when never seen; without it, callers filter `services()`. */
  service?(name: string): ServiceOverview | undefined;
  /** The newest value of every series of one service (its "now"); [] for a service never seen. */
  latest(service: string): LatestValue[];
  /**
   * One metric of one service over a range at a step, one aggregate per step and series,
   * read from the coarsest resolution that still serves the step (raw, 1 min, 1 h rollups).
   */
  range(query: RangeQuery): RangeSeries[];
  /** Health events, newest first: alert history, or (`firing`) the alerts firing now. */
  alerts(query?: AlertQuery): AlertRecord[];
}

export const HISTORY_AGGREGATES = ['avg', 'min', 'max', 'sum', 'count', 'last', 'p50', 'p90', 'p95', 'p99'] as const;
export type HistoryAggregate = (typeof HISTORY_AGGREGATES)[number];

export interface ServiceOverview {
  readonly service: string;
  /** The level of its latest health event; `unknown` when it has points but no event yet. */
  readonly level: Level;
  /** When it reached that level (absent without an event). */
  readonly levelSince?: number;
  /** Time of its newest point. */
  readonly lastPoint?: number;
  /** Time of its newest health event. */
  readonly lastEvent?: number;
  /** How many of its alerts fire now. */
  readonly firing: number;
}

export interface SeriesIdentity {
  readonly service: string;
  readonly metric: string;
  readonly unit: string;
  /** The point's attributes (not the resource's): `aggregate`, `check.type`, `network.connection.state`… */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export interface LatestValue extends SeriesIdentity {
  readonly value: number;
  readonly time: number;
}

export interface RangeQuery {
  readonly service: string;
  readonly metric: string;
  readonly since: number;
  readonly until: number;
  /** Width of one step in ms; each answered point stands for [time, time + step). */
  readonly step: number;
  readonly aggregate: HistoryAggregate;
  /** Only series whose attributes hold these values (exact match). */
  readonly attributes?: Readonly<Record<string, string>>;
  /**
   * Read this table only, whatever the step (raw points give exact quantiles over any step,
   * at the cost of reading every point). Without it the step chooses.
   */
  readonly resolution?: RangeSeries['resolution'];
}

export interface RangeSeries extends SeriesIdentity {
  /** Steps that hold data, oldest first; a step without points is left out (a gap). */
  readonly points: ReadonlyArray<{ readonly time: number; readonly value: number }>;
  /** Which table answered. */
  readonly resolution: 'raw' | '1m' | '1h';
}

export interface AlertQuery {
  readonly service?: string;
  /** true: alerts whose latest event fires; false: those whose latest event does not (one record per alert); absent: every event. */
  readonly firing?: boolean;
  readonly since?: number;
  /** At most this many records (default 100, at most 1,000). */
  readonly limit?: number;
}

export interface AlertRecord {
  readonly fingerprint: string;
  readonly service: string;
  readonly rule: string;
  readonly level: Level;
  readonly previousLevel: Level;
  readonly state: EventState;
  readonly value: number;
  readonly threshold: number;
  readonly thresholdText?: string;
  readonly message?: string;
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly labels: Readonly<Record<string, string>>;
  /** When the event was emitted. */
  readonly time: number;
}

/** A reader over a store with no history: what an agent without a `history` exporter answers. */
export const EMPTY_HISTORY: HistoryReader = {
  available: () => false,
  services: () => [],
  latest: () => [],
  range: () => [],
  alerts: () => [],
};
