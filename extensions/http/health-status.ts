import type { Level } from '../../src/index.js';

/** The `application/health+json` status (draft-inadarei-api-health-check-06). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** DESIGN.md §3: info → pass; warning, unknown → warn; error, critical → fail. */
const STATUS_OF_LEVEL: Readonly<Record<Level, HealthStatus>> = {
  info: 'pass',
  warning: 'warn',
  unknown: 'warn',
  error: 'fail',
  critical: 'fail',
};

export function healthStatusOf(level: Level): HealthStatus {
  return STATUS_OF_LEVEL[level];
}

const RANK: Readonly<Record<HealthStatus, number>> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'pass';
  for (const status of statuses) if (RANK[status] > RANK[worst]) worst = status;
  return worst;
}

/** pass and warn are 2xx, fail 4xx–5xx: a load balancer reads the code alone. */
export function httpStatusOf(status: HealthStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}
