import type { SeriesDescriptor } from '../../src/index.js';

/** The receiver's metrics (DESIGN.md §3, "Names and vocabularies"); one of each on every check unless said otherwise. */
export const HEALTH_CHECK_METRICS = {
  up: {
    name: 'healthcheck.up',
    unit: '1',
    kind: 'gauge',
    description: '1 when the check said ok or warning, else 0',
  },
  duration: {
    name: 'healthcheck.duration',
    unit: 's',
    kind: 'gauge',
    description: 'Wall time of the check',
  },
  error: {
    name: 'healthcheck.error',
    unit: '1',
    kind: 'gauge',
    description: '1 with error.type when the check could not complete or failed, else 0 without error.type',
  },
  state: {
    name: 'healthcheck.state',
    unit: '1',
    kind: 'gauge',
    description: 'Debounced Nagios state, 0 ok, 1 warning, 2 critical, 3 unknown (failure_threshold / success_threshold)',
  },
  httpStatus: {
    name: 'healthcheck.http.status_code',
    unit: '1',
    kind: 'gauge',
    description: 'HTTP checks: the status code of the answer',
  },
  httpPhase: {
    name: 'healthcheck.http.phase.duration',
    unit: 's',
    kind: 'gauge',
    description: 'HTTP checks: seconds per phase (dns, connect, tls, first_byte, total)',
  },
  certRemaining: {
    name: 'healthcheck.tls.cert.remaining',
    unit: 's',
    kind: 'gauge',
    description: 'HTTPS checks: seconds until the peer certificate expires',
  },
} as const satisfies Record<string, SeriesDescriptor>;

const PERFDATA_NAME = 'healthcheck.perfdata';
const PERFDATA_DESCRIPTION = "A value of a Nagios plugin's performance data, by label";

/** One descriptor per unit, made once: a `c` (continuous counter) value is a monotonic sum, every other a gauge. */
const perfdataDescriptors = new Map<string, SeriesDescriptor>();

export function perfdataDescriptor(unit: string): SeriesDescriptor {
  let descriptor = perfdataDescriptors.get(unit);
  if (descriptor === undefined) {
    const counter = unit === '{count}';
    descriptor = {
      name: PERFDATA_NAME,
      // A value without a UOM is a plain number (Nagios calls it a count).
      unit: unit === '' ? '1' : unit,
      kind: counter ? 'sum' : 'gauge',
      monotonic: counter,
      description: PERFDATA_DESCRIPTION,
    };
    perfdataDescriptors.set(unit, descriptor);
  }
  return descriptor;
}
