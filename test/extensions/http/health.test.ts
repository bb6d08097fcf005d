import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, stopAllApis } from './api-fixture.js';
import { ScriptedHistory, firingAlert } from './fake-history.js';

const T = Date.parse('2026-11-30T02:00:00Z');

afterEach(stopAllApis);

describe('/healthz: the agent itself', () => {
  it('answers 200 when every component runs, 503 naming those that do not', async () => {
    const api = await startApi(new ScriptedHistory());
    const board = api.context.statuses;
    board.set('health_check', 'receiver', 'running');
    board.set('history', 'exporter', 'running');
    let answer = await call(`${api.base}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json()).toMatchObject({ status: 'ok', not_running: [] });
    expect(answer.json().components.map((c: { id: string }) => c.id)).toEqual(['health_check', 'history']);

    board.reporterFor('history', 'exporter').degraded('disk full');
    board.set('health_check', 'receiver', 'failed', { error: 'boom' });
    answer = await call(`${api.base}/healthz`);
    expect(answer.status).toBe(503);
    expect(answer.json().status).toBe('unhealthy');
    expect(answer.json().not_running).toEqual(['health_check', 'history']);
    expect(answer.json().components[1]).toMatchObject({ id: 'history', state: 'degraded', last_error: { message: 'disk full' } });
  });
});

describe('/health: every service in application/health+json', () => {
  it('maps levels as DESIGN §3 says and answers 503 when one fails', async () => {
    const history = new ScriptedHistory();
    history.servicesList = [
      { service: 'api', level: 'info', levelSince: T, lastPoint: T, lastEvent: T, firing: 0 },
      { service: 'db', level: 'warning', levelSince: T, lastEvent: T, firing: 1 },
      { service: 'fresh', level: 'unknown', lastPoint: T, firing: 0 },
    ];
    const api = await startApi(history);
    let answer = await call(`${api.base}/health`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/health+json; charset=utf-8');
    const body = answer.json();
    expect(body.status).toBe('warn');
    expect(body.checks['api:level'][0]).toEqual({ componentId: 'api', componentType: 'component', observedValue: 'info', status: 'pass', time: '2026-11-30T02:00:00.000Z' });
    expect(body.checks['db:level'][0]).toMatchObject({ status: 'warn', observedValue: 'warning' });
    // Points but no health event: warn, said so.
    expect(body.checks['fresh:level'][0]).toMatchObject({ status: 'warn', observedValue: 'unknown', output: expect.stringContaining('no health event') });

    for (const level of ['error', 'critical'] as const) {
      history.servicesList = [{ service: 'api', level, levelSince: T, firing: 1 }];
      answer = await call(`${api.base}/health`);
      expect(answer.status).toBe(503);
      expect(answer.json().status).toBe('fail');
    }
    history.servicesList = [{ service: 'api', level: 'info', levelSince: T, firing: 0 }];
    expect((await call(`${api.base}/health`)).json().status).toBe('pass');
  });

  it('says warn when no history exporter ever wrote', async () => {
    const history = new ScriptedHistory();
    history.isAvailable = false;
    const api = await startApi(history);
    const answer = await call(`${api.base}/health`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ status: 'warn', output: expect.stringContaining('no history exporter') });
  });
});

describe('/health/SERVICE', () => {
  it('answers one service with its firing alerts as checks, 503 when it fails', async () => {
    const history = new ScriptedHistory();
    history.servicesList = [{ service: 'web api', level: 'critical', levelSince: T, lastPoint: T, firing: 1 }];
    history.alertList = [firingAlert('web api', 'critical', T)];
    history.latestValues = [{ service: 'web api', metric: 'healthcheck.duration', unit: 's', attributes: { 'check.type': 'http' }, value: 2.5, time: T }];
    const api = await startApi(history);
    const answer = await call(`${api.base}/health/web%20api`);
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/health+json; charset=utf-8');
    const body = answer.json();
    expect(body).toMatchObject({ status: 'fail', serviceId: 'web api' });
    expect(body.checks['response_time:alert'][0]).toMatchObject({ status: 'fail', observedValue: 2.5, output: 'response_time of web api is critical' });
    expect(body.latest).toEqual([{ metric: 'healthcheck.duration', unit: 's', attributes: { 'check.type': 'http' }, value: 2.5, time: '2026-11-30T02:00:00.000Z' }]);
    expect(history.alertQueries.at(-1)).toMatchObject({ service: 'web api', firing: true });
  });

  it('is warn for a service with points and no level, 404 only for one never seen', async () => {
    const history = new ScriptedHistory();
    history.servicesList = [{ service: 'fresh', level: 'unknown', lastPoint: T, firing: 0 }];
    const api = await startApi(history);
    const fresh = await call(`${api.base}/health/fresh`);
    expect(fresh.status).toBe(200);
    expect(fresh.json().status).toBe('warn');
    const never = await call(`${api.base}/health/never`);
    expect(never.status).toBe(404);
    expect(never.json()).toEqual({ error: 'no service "never" in the history' });
    expect((await call(`${api.base}/health/%E0%A4%A`)).status).toBe(400);
  });

  it('asks a reader that can answer one service for that one, not for all of them', async () => {
    const history = new ScriptedHistory();
    const asked: string[] = [];
    const one = { service: 'db', level: 'warning' as const, levelSince: T, firing: 0 };
    Object.assign(history, {
      service: (name: string) => {
        asked.push(name);
        return name === 'db' ? one : undefined;
      },
    });
    const api = await startApi(history);
    expect((await call(`${api.base}/health/db`)).json()).toMatchObject({ status: 'warn', serviceId: 'db' });
    expect((await call(`${api.base}/health/other`)).status).toBe(404);
    expect(asked).toEqual(['db', 'other']);
    expect(history.reads).toBe(0);
  });
});
