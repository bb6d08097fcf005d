import { describe, expect, it } from 'vitest';
import { checkKnown, historyQuery, HISTORY_DEFAULTS, UsageError } from '../../src/cli/history-options.js';
import { MAX_ANSWER_STEPS as MAX_STEPS } from '../../src/history/query-words.js';
import { EMPTY_HISTORY, type HistoryReader } from '../../src/history/reader.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('history options', () => {
  it('asks for the last hour at 1 min steps, p95, by default', () => {
    expect(historyQuery('api', 'healthcheck.duration', HISTORY_DEFAULTS, NOW)).toEqual({
      service: 'api',
      metric: 'healthcheck.duration',
      since: NOW - 3_600_000 + 60_000,
      until: NOW + 60_000,
      step: 60_000,
      aggregate: 'p95',
    });
  });

  it("puts the steps on the step's grid, the last one holding now", () => {
    const query = historyQuery('api', 'm', { ...HISTORY_DEFAULTS, since: '10m', step: '5m' }, NOW + 7 * 60_000 + 1234);
    expect([query.since, query.until]).toEqual([NOW, NOW + 10 * 60_000]);
  });

  it('takes attribute filters as key=value', () => {
    const query = historyQuery('api', 'process.network.connection.count', { ...HISTORY_DEFAULTS, attribute: ['network.connection.state=established'] }, NOW);
    expect(query.attributes).toEqual({ 'network.connection.state': 'established' });
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, attribute: ['state'] }, NOW))).toContain('must be key=value');
  });

  it('refuses a bad duration saying how to write one', () => {
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, since: '1 hour' }, NOW))).toBe(
      '--since "1 hour" is not a duration: write digits and a unit, such as 90s, 15m, 1h or 7d (units: ms, s, m, h, d)',
    );
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, step: '0s' }, NOW))).toContain('--step "0s" is not a duration');
  });

  it('refuses an unknown aggregate, suggesting the nearest and listing the valid ones', () => {
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, agg: 'mean' }, NOW))).toBe(
      '--agg "mean" is not an aggregate; valid aggregates: avg, min, max, sum, count, last, p50, p90, p95, p99',
    );
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, agg: 'maxx' }, NOW))).toContain('did you mean "max"?');
  });

  it(`refuses more than ${MAX_STEPS} steps, saying which step would do`, () => {
    expect(usageError(() => historyQuery('api', 'm', { ...HISTORY_DEFAULTS, since: '7d', step: '10s' }, NOW))).toBe(
      '--since 7d at --step 10s is 60480 steps, more than 10000: take a --step of at least 61s, or a shorter --since',
    );
  });
});

describe('known services and metrics', () => {
  const reader: HistoryReader = {
    ...EMPTY_HISTORY,
    available: () => true,
    services: () => ['api', 'billing', 'db'].map((service) => ({ service, level: 'info' as const, firing: 0 })),
    latest: (service) =>
      service === 'api'
        ? ['healthcheck.up', 'healthcheck.duration', 'healthcheck.up'].map((metric) => ({ service, metric, unit: '1', attributes: {}, value: 1, time: NOW }))
        : [],
  };

  it('suggests a known service for a typo and lists them', () => {
    expect(usageError(() => checkKnown(reader, 'apii', 'healthcheck.up'))).toBe(
      'no service "apii" in the store; did you mean "api"? Services in the store: api, billing, db',
    );
  });

  it("suggests one of the service's metrics and lists them once each", () => {
    expect(usageError(() => checkKnown(reader, 'api', 'healthcheck.dur'))).toBe(
      'service "api" has no metric "healthcheck.dur"; did you mean "healthcheck.duration"? Metrics of api: healthcheck.duration, healthcheck.up',
    );
    expect(usageError(() => checkKnown(reader, 'api', 'healthcheck.upp'))).toContain('did you mean "healthcheck.up"?');
    expect(() => checkKnown(reader, 'api', 'healthcheck.up')).not.toThrow();
  });

  it('says when the store holds no service at all', () => {
    expect(usageError(() => checkKnown(EMPTY_HISTORY, 'api', 'healthcheck.up'))).toBe('no service "api" in the store; the store holds no service yet');
  });

  it('bounds the list of a store with many services', () => {
    const many: HistoryReader = {
      ...EMPTY_HISTORY,
      services: () => Array.from({ length: 500 }, (_, index) => ({ service: `svc-${String(index).padStart(3, '0')}`, level: 'info' as const, firing: 0 })),
    };
    const message = usageError(() => checkKnown(many, 'svc-499x', 'x'));
    expect(message).toMatch(/^no service "svc-499x" in the store; did you mean "svc-499"\? Services in the store: svc-000, svc-001, .*, svc-039, … \(460 more\)$/);
    expect(message).not.toContain('svc-040');
  });
});
