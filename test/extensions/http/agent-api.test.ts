import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './api-fixture.js';
import { eventually, startAgentWithApi, type AgentWithApi } from './agent-fixture.js';
import { EventStreamClient } from './event-stream.js';

/** The http extension in a running agent (the built CLI): its answers come from the real store. */

let run: AgentWithApi;

beforeAll(async () => {
  run = await startAgentWithApi();
}, 120_000);

afterAll(() => run?.stop());

describe('the http extension of a running agent', () => {
  it('answers /healthz per component, itself included', async () => {
    const healthz = await eventually(() => call(`${run.base}/healthz`), (answer) => answer.status === 200);
    const ids = healthz.json().components.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['health_check', 'history', 'http']));
    expect(healthz.json().status).toBe('ok');
  });

  it('serves health+json, services, history and alerts from what the history exporter stored', { timeout: 180_000 }, async () => {
    // Checked and healthy, but no health event yet (threshold raises only changes): warn, said why.
    const api = await eventually(() => call(`${run.base}/health/api`), (answer) => answer.status === 200);
    expect(api.headers['content-type']).toBe('application/health+json; charset=utf-8');
    expect(api.json()).toMatchObject({ status: 'warn', checks: { level: [{ componentId: 'api', observedValue: 'unknown', status: 'warn' }] } });
    expect(api.json().latest.map((value: { metric: string }) => value.metric)).toContain('healthcheck.duration');
    expect((await call(`${run.base}/health/never-seen`)).status).toBe(404);

    run.web.set({ status: 503 });
    const failing = await eventually(() => call(`${run.base}/health/web`), (answer) => answer.json().status === 'fail');
    expect(failing.status).toBe(503);
    expect(failing.json().checks['availability:alert'][0]).toMatchObject({ status: 'fail', observedValue: expect.any(Number) });
    const all = await call(`${run.base}/health`);
    expect(all.status).toBe(503);
    expect(all.json().checks['web:level'][0]).toMatchObject({ observedValue: 'critical', status: 'fail' });
    const firing = (await call(`${run.base}/api/alerts?firing=true&service=web`)).json().alerts;
    expect(firing).toEqual([expect.objectContaining({ service: 'web', rule: 'availability', level: 'critical', state: 'firing' })]);

    run.web.set({ status: 200 });
    const recovered = await eventually(() => call(`${run.base}/health/web`), (answer) => answer.json().status === 'pass');
    expect(recovered.status).toBe(200);
    expect(recovered.json().checks.level[0]).toMatchObject({ observedValue: 'info', status: 'pass' });
    expect(recovered.json().checks['availability:alert']).toBeUndefined();
    expect((await call(`${run.base}/api/alerts?firing=true&service=web`)).json().alerts).toEqual([]);
    const history = (await call(`${run.base}/api/alerts?service=web`)).json().alerts;
    expect(history.map((alert: { state: string }) => alert.state)).toEqual(['resolved', 'firing']);

    const services = (await call(`${run.base}/api/services`)).json();
    expect(services.available).toBe(true);
    expect(services.services.map((s: { service: string }) => s.service)).toEqual(['api', 'healthpipe', 'web']);

    const range = await eventually(
      () => call(`${run.base}/api/history?service=api&metric=healthcheck.duration&since=10m&step=1m&agg=p95`),
      (answer) => answer.status === 200 && answer.json().series.length > 0,
    );
    expect(range.json().series[0]).toMatchObject({ service: 'api', metric: 'healthcheck.duration', unit: 's' });
    // The service answers after 5 ms: its p95 cannot be less.
    expect(range.json().series[0].points[0].value).toBeGreaterThan(0.004);
    expect((await call(`${run.base}/api/history?service=api&metric=healthcheck.duration&agg=p42`)).status).toBe(400);
  });

  it('creates and expires silences with the token from the environment, which no answer or log shows', async () => {
    const body = JSON.stringify({ matchers: { service: 'web' }, comment: 'e2e', duration: '1h' });
    const refused = await call(`${run.base}/api/silences`, { method: 'POST', body });
    expect(refused.status).toBe(401);
    const created = await call(`${run.base}/api/silences`, { method: 'POST', body, headers: { authorization: `Bearer ${run.token}` } });
    expect(created.status).toBe(201);
    const id = created.json().silence.id;
    expect((await call(`${run.base}/api/silences`)).json().silences.map((s: { id: string }) => s.id)).toEqual([id]);
    const expired = await call(`${run.base}/api/silences/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${run.token}` } });
    expect(expired.status).toBe(200);
    expect((await call(`${run.base}/api/silences`)).json().silences).toEqual([]);
    for (const answer of [refused, created, expired]) expect(answer.text).not.toContain(run.token);
    expect(run.agent.cli.stderrLines.join('\n')).not.toContain(run.token);
  });

  it('ends open event streams when the agent stops', async () => {
    const stream = await EventStreamClient.open(`${run.base}/api/events`);
    await stream.until(() => stream.events('snapshot').length === 1, 30_000);
    expect(await run.agent.stop('SIGTERM')).toBe(0);
    await stream.until(() => stream.ended, 10_000);
  });
});
