import type { RuleInput } from './config.js';

/**
 * The ancestor's defaults (DESIGN §1, `MonitoringConfig`): T per figure. The level bounds
 * are computed from them as the ancestor computed them (`0.8 * 0.9` is 0.7200000000000001
 * in both languages), so a value exactly at a bound compares as it did there.
 */
const T = {
  errorRate: 0.1,
  responseTime: 1.0,
  memory: 0.9,
  cpu: 0.8,
  connections: 1000,
} as const;

/**
 * The only levels the ancestor alerted on; and `unknown`, which it did not have: a series
 * silent for `no_data` (only when that is set) keeps paging rather than looking resolved.
 */
const DATAPUNK_NOTIFY = ['error', 'critical', 'unknown'] as const;

/**
 * `profile: datapunk`: the ancestor's level table over window means, strict `>`, first match
 * from critical down. One deliberate change: memory is critical above 0.97, since the
 * ancestor's 1.2 × 0.9 = 1.08 can never be reached by a fraction of RAM.
 */
export const DATAPUNK_RULES: readonly RuleInput[] = [
  {
    // The share of checks in the window that failed: the window mean of 1 − healthcheck.up.
    name: 'error_rate',
    metric: 'healthcheck.up',
    complement: true,
    above: { warning: 0.5 * T.errorRate, error: T.errorRate, critical: 2 * T.errorRate },
    notify: [...DATAPUNK_NOTIFY],
  },
  {
    name: 'response_time',
    metric: 'healthcheck.duration',
    above: { warning: T.responseTime, error: 2 * T.responseTime },
    notify: [...DATAPUNK_NOTIFY],
  },
  {
    name: 'memory',
    metric: 'process.memory.utilization',
    above: { warning: 0.8 * T.memory, error: T.memory, critical: 0.97 },
    notify: [...DATAPUNK_NOTIFY],
  },
  {
    name: 'cpu',
    metric: 'process.cpu.utilization',
    above: { warning: 0.8 * T.cpu, error: T.cpu, critical: 1.2 * T.cpu },
    notify: [...DATAPUNK_NOTIFY],
  },
  {
    name: 'connections',
    metric: 'process.network.connection.count',
    sum_over: ['network.connection.state'],
    above: { warning: 0.8 * T.connections, error: T.connections },
    notify: [...DATAPUNK_NOTIFY],
  },
];

export const PROFILES = { datapunk: DATAPUNK_RULES } as const satisfies Record<string, readonly RuleInput[]>;
