import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, stopAllApis } from './api-fixture.js';
import { ScriptedHistory, firingAlert } from './fake-history.js';

const T = Date.parse('2026-11-30T02:00:00Z');
const HOUR = 3_600_000;

afterEach(stopAllApis);

describe('/api/services, /api/history, /api/alerts', () => {
  it('lists services with ISO times and their health+json status', async () => {
    const history = new ScriptedHistory();
    history.servicesList = [{ service: 'api', level: 'error', levelSince: T, lastPoint: T + 1000, firing: 2 }];
    const api = await startApi(history);
    const answer = await call(`${api.base}/api/services`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      available: true,
      services: [{ service: 'api', level: 'error', status: 'fail', level_since: '2026-11-30T02:00:00.000Z', last_point: '2026-11-30T02:00:01.000Z', firing: 2 }],
    });
  });

  it('asks the reader for the range, step and aggregate the query names, ending now', async () => {
    const history = new ScriptedHistory();
    history.rangeAnswer = [
      { service: 'api', metric: 'healthcheck.duration', unit: 's', attributes: {}, resolution: '1m', points: [{ time: T, value: 0.2 }] },
    ];
    const api = await startApi(history);
    const before = Date.now();
    const answer = await call(`${api.base}/api/history?service=api&metric=healthcheck.duration&since=2h&step=5m&agg=p95&attribute=check.type=http`);
    expect(answer.status).toBe(200);
    expect(answer.json().series).toEqual([
      { service: 'api', metric: 'healthcheck.duration', unit: 's', attributes: {}, resolution: '1m', points: [{ time: '2026-11-30T02:00:00.000Z', value: 0.2 }] },
    ]);
    const query = history.rangeQueries[0]!;
    expect(query).toMatchObject({ service: 'api', metric: 'healthcheck.duration', step: 300_000, aggregate: 'p95', attributes: { 'check.type': 'http' } });
    expect(query.until - query.since).toBe(2 * HOUR);
    expect(query.until).toBeGreaterThanOrEqual(before);

    await call(`${api.base}/api/history?service=api&metric=m`);
    expect(history.rangeQueries[1]).toMatchObject({ step: 60_000, aggregate: 'avg' });
    expect(history.rangeQueries[1]!.until - history.rangeQueries[1]!.since).toBe(HOUR);
  });

  it.each([
    ['metric=m', 'missing parameter "service"'],
    ['service=a', 'missing parameter "metric"'],
    ['service=a&metric=m&agg=median', 'unknown aggregate "median"'],
    ['service=a&metric=m&since=yesterday', '"yesterday" is not a duration'],
    ['service=a&metric=m&step=0s', 'expected a duration from'],
    ['service=a&metric=m&since=30d&step=1s', 'more than 10000 steps'],
    ['service=a&metric=m&since=12h&step=30s', 'ask for at most 6h with them'],
    ['service=a&metric=m&attribute=nokey', 'expected key=value'],
    ['service=a&metric=m&colour=red', 'unknown parameter "colour"'],
    ['service=a&service=b&metric=m', 'given more than once'],
  ])('refuses /api/history?%s with 400 and the reason', async (query, reason) => {
    const api = await startApi(new ScriptedHistory());
    const answer = await call(`${api.base}/api/history?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json().error).toContain(reason);
  });

  it('answers at most 100 series and says how many there were', async () => {
    const history = new ScriptedHistory();
    history.rangeAnswer = Array.from({ length: 150 }, (_, index) => ({
      service: 'api',
      metric: 'm',
      unit: '1',
      attributes: { slot: index },
      points: [{ time: T, value: index }],
      resolution: '1m' as const,
    }));
    const api = await startApi(history);
    const body = (await call(`${api.base}/api/history?service=api&metric=m`)).json();
    expect(body.series).toHaveLength(100);
    expect(body).toMatchObject({ truncated: true, series_total: 150 });
  });

  it('filters alerts by firing, service, limit and since', async () => {
    const history = new ScriptedHistory();
    history.alertList = [firingAlert('api', 'critical', T), { ...firingAlert('db', 'warning', T), state: 'resolved', endsAt: T + 1000 }];
    const api = await startApi(history);
    const all = await call(`${api.base}/api/alerts`);
    expect(all.json().alerts).toHaveLength(2);
    expect(all.json().alerts[1]).toMatchObject({ service: 'db', state: 'resolved', ends_at: '2026-11-30T02:00:01.000Z', previous_level: 'info' });
    const firing = await call(`${api.base}/api/alerts?firing=true&service=api&limit=5&since=1h`);
    expect(firing.json().alerts.map((a: { service: string }) => a.service)).toEqual(['api']);
    expect(history.alertQueries.at(-1)).toMatchObject({ firing: true, service: 'api', limit: 5 });
    expect(Date.now() - history.alertQueries.at(-1)!.since!).toBeGreaterThanOrEqual(HOUR);
    expect(history.alertQueries[0]).toEqual({ limit: 100 });
    for (const [query, reason] of [
      ['limit=0', 'expected a whole number from 1 to 1000'],
      ['limit=5000', 'expected a whole number from 1 to 1000'],
      ['firing=maybe', 'expected true or false'],
    ]) {
      const answer = await call(`${api.base}/api/alerts?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json().error).toContain(reason);
    }
  });
});

describe('paths and methods', () => {
  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const api = await startApi(new ScriptedHistory());
    const missing = await call(`${api.base}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.json().error).toBe('no such path: "/api/nothing"');
    const wrong = await call(`${api.base}/healthz`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET, HEAD');
    const expire = await call(`${api.base}/api/silences/x`, { method: 'GET' });
    expect(expire.status).toBe(405);
    expect(expire.headers['allow']).toBe('DELETE');
    const silences = await call(`${api.base}/api/silences`, { method: 'PUT' });
    expect(silences.headers['allow']).toBe('GET, HEAD, POST');
  });

  it('answers HEAD like GET without a body', async () => {
    const api = await startApi(new ScriptedHistory());
    const head = await call(`${api.base}/api/services`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('answers 500 without details when the reader throws, and logs it', async () => {
    const history = new ScriptedHistory();
    history.services = () => {
      throw new Error('SQLITE_CORRUPT: /secret/path/db');
    };
    const api = await startApi(history);
    const answer = await call(`${api.base}/api/services`);
    expect(answer.status).toBe(500);
    expect(answer.text).not.toContain('SQLITE');
    expect(api.context.logs.records().some((record) => record.message === 'a request could not be answered')).toBe(true);
  });
});
