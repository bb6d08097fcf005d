import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Agent } from '../helpers/agent.js';
import { startAlertingFixture, type AlertingFixture, type WebhookNotification } from '../helpers/alerting-fixture.js';
import { startHttpRecorder, type RunningHttpRecorder } from '../helpers/http-recorder.js';

/**
 * The two other sinks a new user wires next to Alertmanager: a webhook (their chat or
 * incident tool, which speaks Alertmanager's v4 payload) and a file of JSON lines. One run
 * fires and resolves one alert; each sink must have both, in order.
 */

const RULE = 'unhealthy';
const STEP_MS = 45_000;
const TOKEN = 'e2e-webhook-token-5d1f';

let fixture: AlertingFixture;
let hook: RunningHttpRecorder;
let agent: Agent;
let file: string;

beforeAll(async () => {
  fixture = await startAlertingFixture();
  hook = await startHttpRecorder();
  file = join(fixture.dir, 'alerts.jsonl');
  agent = fixture.agent({
    targets: [`{ service: shop, labels: { team: payments }, http: { url: "${fixture.service.url}/health" } }`],
    rules: [`{ name: ${RULE}, metric: healthcheck.up, aggregate: mean, below: { error: 0.5 } }`],
    sinks: {
      webhook: `{ url: "${hook.url}/hooks/healthpipe", bearer_token: "${TOKEN}" }`,
      file: `{ path: "${file}" }`,
    },
  });
  await agent.start();
  fixture.service.set({ status: 500 });
  await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'firing', STEP_MS);
  fixture.service.set({ status: 200 });
  await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'resolved', STEP_MS);
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
  await hook?.stop();
});

describe('the webhook sink', () => {
  it('posts the Alertmanager v4 payload: firing, then resolved, with the token', async () => {
    await vi.waitFor(() => expect(hook.accepted().length).toBeGreaterThanOrEqual(2), { timeout: STEP_MS, interval: 200 });
    const requests = hook.accepted();
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks/healthpipe');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    }
    const payloads = requests.map((request) => JSON.parse(request.body) as WebhookNotification & Record<string, unknown>);
    const statuses = payloads.map((payload) => payload.status);
    expect(statuses.indexOf('firing')).toBeGreaterThanOrEqual(0);
    expect(statuses.lastIndexOf('resolved')).toBeGreaterThan(statuses.indexOf('firing'));

    const firing = payloads.find((payload) => payload.status === 'firing')!;
    expect(firing).toMatchObject({ version: '4', status: 'firing', truncatedAlerts: 0 });
    for (const key of ['receiver', 'groupKey', 'externalURL']) expect(typeof firing[key]).toBe('string');
    for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations']) expect(typeof firing[key]).toBe('object');
    expect(firing.alerts).toHaveLength(1);
    const [alert] = firing.alerts;
    expect(alert).toMatchObject({
      status: 'firing',
      // The target's labels travel with its alerts.
      labels: { alertname: RULE, service: 'shop', severity: 'error', team: 'payments' },
      endsAt: '0001-01-01T00:00:00Z',
    });
    expect(Date.parse(alert!.startsAt)).not.toBeNaN();
    expect(alert!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(alert!.annotations['message']).toBeDefined();

    const resolved = payloads.filter((payload) => payload.status === 'resolved').at(-1)!;
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', labels: alert!.labels, fingerprint: alert!.fingerprint });
    expect(Date.parse(resolved.alerts[0]!.endsAt)).toBeGreaterThanOrEqual(Date.parse(alert!.startsAt));
  });

  it('never writes the token to the logs', () => {
    expect(agent.stderr()).not.toContain(TOKEN);
  });
});

describe('the file sink', () => {
  it('writes one JSON line per notification: firing, then resolved', async () => {
    await vi.waitFor(() => expect(existsSync(file) && readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2), {
      timeout: STEP_MS,
      interval: 200,
    });
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const states = records.map((record) => record['state'] ?? record['status']);
    expect(states).toEqual(['firing', 'resolved']);
    expect(records[0]).toMatchObject({ rule: RULE, service: 'shop', level: 'error' });
    expect(records[1]).toMatchObject({ rule: RULE, service: 'shop' });
    expect(records[0]!['fingerprint']).toBe(records[1]!['fingerprint']);
  });
});
