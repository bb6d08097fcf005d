import type { AlertRecord, HistoryReader, LatestValue, ServiceOverview } from '../history/reader.js';
import type { Level } from '../model/event.js';
import { currentSum, currentValues, measuredSeries, stepValues } from './status-figures.js';

/** The health check's states by their code in `healthcheck.state` (DESIGN.md §3: the Nagios states 0–3). */
export const CHECK_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/**
 * The range that error rate and response time are taken over, ending at the service's last
 * check (not at now): after the agent stopped, `status` shows what it showed while it ran.
 */
export const RECENT_MS = 5 * 60_000;
/** How far back "alerts raised" counts, as the ancestor's report counted them over its 24 h of history. */
export const RAISED_SINCE_MS = 24 * 60 * 60_000;
/** The most alert records read to count them; a store with more says "at least". */
export const RAISED_LIMIT = 1000;

export interface CheckSummary {
  /** Whether the latest check said ok or warning (`healthcheck.up`). */
  readonly up: boolean;
  /** The debounced state (`healthcheck.state`), when the store holds it. */
  readonly state?: CheckState;
  /** When the latest check ran. */
  readonly time: number;
}

/** One service as `status` shows it: the ancestor's snapshot (HealthMetrics), every figure optional. */
export interface ServiceStatus {
  readonly service: string;
  readonly level: Level;
  readonly levelSince?: number;
  readonly check?: CheckSummary;
  /** Share of checks over RECENT_MS whose state was critical or unknown (1 − mean of `healthcheck.up`). */
  readonly errorRate?: number;
  /** p95 of `healthcheck.duration` over RECENT_MS, in seconds. */
  readonly responseTimeP95?: number;
  /** `process.cpu.utilization`: a share of all cores, 0..1. */
  readonly cpu?: number;
  readonly memoryBytes?: number;
  /** `process.memory.utilization`: a share of the machine's memory, 0..1. */
  readonly memoryShare?: number;
  /** TCP connections in every state (`process.network.connection.count`). */
  readonly connections?: number;
  readonly lastPoint?: number;
  /** Its alerts firing now, newest first. */
  readonly firing: readonly AlertRecord[];
}

export interface StatusReport {
  /** When the report was made. */
  readonly time: number;
  /** False when no `history` exporter ever wrote to the store. */
  readonly history: boolean;
  readonly services: readonly ServiceStatus[];
  /** Firing events over RAISED_SINCE_MS, at most RAISED_LIMIT counted. */
  readonly raised: number;
  /** False when the count stopped at RAISED_LIMIT records: there may be more. */
  readonly raisedComplete: boolean;
}

/** The newest value of one metric's measured series, and the time of it. */
function newest(values: readonly LatestValue[]): LatestValue | undefined {
  return values.reduce<LatestValue | undefined>((found, value) => (found === undefined || value.time > found.time ? value : found), undefined);
}

function checkSummary(latest: readonly LatestValue[]): CheckSummary | undefined {
  // Only a latest check says up or down: a window's mean of `up` is an error rate, not a state.
  const up = currentValues(measuredSeries(latest, 'healthcheck.up', ['last']), RECENT_MS);
  const last = newest(up);
  if (last === undefined) return undefined;
  // One target down is the service down: `up` only when every current check says so.
  const summary = { up: up.every((value) => value.value >= 1), time: last.time };
  const state = newest(measuredSeries(latest, 'healthcheck.state', ['last', 'max']));
  const code = state === undefined ? undefined : Math.round(state.value);
  const name = code === undefined ? undefined : CHECK_STATES[code];
  return name === undefined ? summary : { ...summary, state: name };
}

function errorRate(history: HistoryReader, service: string, until: number): number | undefined {
  const range = { service, metric: 'healthcheck.up', since: until - RECENT_MS, until, step: RECENT_MS };
  const sums = stepValues(measuredSeries(history.range({ ...range, aggregate: 'sum' }), 'healthcheck.up', ['mean']));
  const counts = stepValues(measuredSeries(history.range({ ...range, aggregate: 'count' }), 'healthcheck.up', ['mean']));
  const checks = counts.reduce((total, count) => total + count, 0);
  if (checks === 0) return undefined;
  return 1 - sums.reduce((total, sum) => total + sum, 0) / checks;
}

/** The highest p95 the store answers over the range: a range split into two steps gives the worse of them. */
function responseTimeP95(history: HistoryReader, service: string, until: number): number | undefined {
  const range = { service, metric: 'healthcheck.duration', since: until - RECENT_MS, until, step: RECENT_MS, aggregate: 'p95' as const };
  const values = stepValues(measuredSeries(history.range(range), 'healthcheck.duration', ['p95', 'max', 'mean']));
  return values.length === 0 ? undefined : Math.max(...values);
}

function sumOf(latest: readonly LatestValue[], metric: string): number | undefined {
  return currentSum(measuredSeries(latest, metric, ['last', 'mean']), RECENT_MS);
}

function serviceStatus(history: HistoryReader, overview: ServiceOverview): ServiceStatus {
  const { service } = overview;
  const latest = history.latest(service);
  const check = checkSummary(latest);
  const checks = latest.filter((value) => value.metric === 'healthcheck.up');
  // `+ 1`: a range's end is exclusive, and the last check must count.
  const until = Math.max(...checks.map((value) => value.time)) + 1;
  const status: { -readonly [K in keyof ServiceStatus]: ServiceStatus[K] } = {
    service,
    level: overview.level,
    firing: history.alerts({ service, firing: true }),
  };
  if (overview.levelSince !== undefined) status.levelSince = overview.levelSince;
  if (overview.lastPoint !== undefined) status.lastPoint = overview.lastPoint;
  if (check !== undefined) status.check = check;
  // Ranges only for a checked service: `status` over a thousand services reads what exists.
  if (checks.length > 0) {
    status.errorRate = errorRate(history, service, until);
    status.responseTimeP95 = responseTimeP95(history, service, until);
  }
  status.cpu = sumOf(latest, 'process.cpu.utilization');
  status.memoryBytes = sumOf(latest, 'process.memory.usage');
  status.memoryShare = sumOf(latest, 'process.memory.utilization');
  status.connections = sumOf(latest, 'process.network.connection.count');
  return dropUndefined(status);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Reads the whole report from the store; `now` is the reader's clock (the CLI's), used for counting recent alerts only. */
export function statusReport(history: HistoryReader, now: number): StatusReport {
  const services = history.services().map((overview) => serviceStatus(history, overview));
  const recent = history.alerts({ since: now - RAISED_SINCE_MS, limit: RAISED_LIMIT });
  const raised = recent.filter((alert) => alert.state === 'firing').length;
  return { time: now, history: history.available(), services, raised, raisedComplete: recent.length < RAISED_LIMIT };
}
