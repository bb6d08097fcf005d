import type { AlertRecord } from '../history/reader.js';
import type { Level } from '../model/event.js';
import { isoTime } from '../model/iso-time.js';
import type { CheckState, ServiceStatus, StatusReport } from './status-report.js';

/**
 * `healthpipe status --json`: one object, every key always present (null where the store
 * holds no figure), snake_case as the console's JSON; times are ISO-8601, durations seconds,
 * shares 0..1. Keys may be added in later versions, never renamed or removed.
 */
export interface StatusJson {
  readonly time: string;
  /** The store file read. */
  readonly store: string;
  /** False when no `history` exporter ever wrote to the store (then `services` is empty). */
  readonly history: boolean;
  readonly alerts_raised_24h: number;
  /** False when the count stopped at its bound (1,000 records): there may be more. */
  readonly alerts_raised_complete: boolean;
  readonly services: readonly ServiceJson[];
}

export interface ServiceJson {
  readonly service: string;
  readonly level: Level;
  readonly level_since: string | null;
  readonly check: { readonly up: boolean; readonly state: CheckState | null; readonly time: string } | null;
  readonly error_rate: number | null;
  readonly response_time_p95: number | null;
  readonly cpu_utilization: number | null;
  readonly memory_usage: number | null;
  readonly memory_utilization: number | null;
  readonly connections: number | null;
  readonly last_point: string | null;
  readonly firing: readonly AlertJson[];
}

export interface AlertJson {
  readonly fingerprint: string;
  readonly rule: string;
  readonly level: Level;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly threshold_text: string | null;
  readonly message: string | null;
  readonly starts_at: string;
  readonly labels: Readonly<Record<string, string>>;
}

const timeOrNull = (time: number | undefined): string | null => (time === undefined ? null : isoTime(time));
/** JSON has no NaN (a threshold with no finite end). */
const numberOrNull = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : value);

function alertJson(alert: AlertRecord): AlertJson {
  return {
    fingerprint: alert.fingerprint,
    rule: alert.rule,
    level: alert.level,
    value: numberOrNull(alert.value),
    threshold: numberOrNull(alert.threshold),
    threshold_text: alert.thresholdText ?? null,
    message: alert.message ?? null,
    starts_at: isoTime(alert.startsAt),
    labels: alert.labels,
  };
}

function serviceJson(service: ServiceStatus): ServiceJson {
  const { check } = service;
  return {
    service: service.service,
    level: service.level,
    level_since: timeOrNull(service.levelSince),
    check: check === undefined ? null : { up: check.up, state: check.state ?? null, time: isoTime(check.time) },
    error_rate: numberOrNull(service.errorRate),
    response_time_p95: numberOrNull(service.responseTimeP95),
    cpu_utilization: numberOrNull(service.cpu),
    memory_usage: numberOrNull(service.memoryBytes),
    memory_utilization: numberOrNull(service.memoryShare),
    connections: numberOrNull(service.connections),
    last_point: timeOrNull(service.lastPoint),
    firing: service.firing.map(alertJson),
  };
}

export function statusJson(report: StatusReport, store: string): StatusJson {
  return {
    time: isoTime(report.time),
    store,
    history: report.history,
    alerts_raised_24h: report.raised,
    alerts_raised_complete: report.raisedComplete,
    services: report.services.map(serviceJson),
  };
}
