import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAlertingFixture, type AlertingFixture } from '../helpers/alerting-fixture.js';

/**
 * A service that accepts the connection and never answers: the check's timeout cuts it,
 * `error.type` says `timeout`, and the alert says so in words a person reads, in the
 * console and in Alertmanager.
 */

const RULE = 'down';
const STEP_MS = 45_000;

let fixture: AlertingFixture;

beforeAll(async () => {
  fixture = await startAlertingFixture({ mode: 'hang' });
});

afterAll(() => fixture?.stop());

describe('a service that never answers', () => {
  it('raises an alert whose message says the check timed out', { timeout: 180_000 }, async () => {
    const agent = fixture.agent({
      timeout: '300ms',
      targets: [`{ service: stuck, http: { url: "${fixture.service.url}/health" } }`],
      rules: [`{ name: ${RULE}, metric: healthcheck.up, aggregate: mean, below: { critical: 0.5 } }`],
      sinks: { alertmanager: `{ url: "${fixture.hop.url}" }` },
    });
    await agent.start();

    const alert = await agent.waitForAlert((event) => event.rule === RULE && event.state === 'firing', STEP_MS);
    expect(alert).toMatchObject({ service: 'stuck', level: 'critical' });
    // Says what happened and after how long ("no answer within 300ms").
    expect(alert.message).toMatch(/no answer|timed? ?out/i);
    expect(alert.message).toMatch(/300 ?ms/);
    // One readable line: no stack, no raw error object.
    expect(alert.message).not.toMatch(/\n|\s+at\s+\S+\s+\(|\[object|AbortError|DOMException/);
    // The point says why with the fixed vocabulary.
    await agent.waitForPoint(
      (point) => point.name === 'healthcheck.error' && point.attributes['error.type'] === 'timeout' && point.value > 0,
      STEP_MS,
    );

    await vi.waitFor(async () => expect(await fixture.active(RULE)).toHaveLength(1), { timeout: STEP_MS, interval: 200 });
    const [inAlertmanager] = await fixture.active(RULE);
    expect(inAlertmanager!.labels).toMatchObject({ alertname: RULE, service: 'stuck', severity: 'critical' });
    expect(inAlertmanager!.annotations['message']).toBe(alert.message);
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
