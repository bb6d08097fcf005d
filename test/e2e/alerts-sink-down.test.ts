import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postedAlerts, startAlertingFixture, type AlertingFixture } from '../helpers/alerting-fixture.js';
import { isWindowMean, notificationsOf } from '../helpers/alert-expectations.js';

/**
 * Issue 6, "What it must show" 1: Alertmanager stopped while an alert fires and resolves,
 * then started again → both arrive, in order. Kuma and Gatus lose the resolve here.
 */

const RULE = 'slow';
const STEP_MS = 45_000;

let fixture: AlertingFixture;

beforeAll(async () => {
  fixture = await startAlertingFixture();
});

afterAll(() => fixture?.stop());

describe('Alertmanager down while an alert fires and resolves', () => {
  it('gets the firing and then the resolved once it is back', { timeout: 300_000 }, async () => {
    const agent = fixture.agent({
      targets: [`{ service: web, http: { url: "${fixture.service.url}/health" } }`],
      rules: [`{ name: ${RULE}, metric: healthcheck.duration, aggregate: mean, above: { critical: 0.3 } }`],
      sinks: { alertmanager: `{ url: "${fixture.hop.url}" }` },
    });
    await agent.start();
    await agent.waitForPoints(isWindowMean('web'), 2, STEP_MS);

    let refusedWhileDown = 0;
    await fixture.am.restart(async () => {
      fixture.service.set({ latencyMs: 450 });
      await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'firing', STEP_MS);
      fixture.service.set({ latencyMs: 0 });
      await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'resolved', STEP_MS);
      // The agent tried while Alertmanager was down, and nothing got through.
      await vi.waitFor(() => expect(fixture.hop.requests.some((request) => request.status === 0)).toBe(true), {
        timeout: STEP_MS,
        interval: 100,
      });
      refusedWhileDown = fixture.hop.requests.filter((request) => request.status === 0).length;
      expect(postedAlerts(fixture.hop, RULE)).toEqual([]);
    });
    expect(refusedWhileDown).toBeGreaterThan(0);

    // Back: the retries deliver both, firing first.
    await vi.waitFor(() => expect(postedAlerts(fixture.hop, RULE).some((alert) => alert.state === 'resolved')).toBe(true), {
      timeout: STEP_MS,
      interval: 200,
    });
    const posted = postedAlerts(fixture.hop, RULE);
    const firing = posted.findIndex((alert) => alert.state === 'firing');
    const resolved = posted.findIndex((alert) => alert.state === 'resolved');
    expect(firing).toBeGreaterThanOrEqual(0);
    expect(firing).toBeLessThan(resolved);
    expect(posted[firing]!.labels).toMatchObject({ alertname: RULE, service: 'web', severity: 'critical' });
    expect(posted[resolved]!.labels).toMatchObject({ alertname: RULE, service: 'web', severity: 'critical' });
    // Nothing fires after the resolve, and Alertmanager holds no active alert.
    expect(posted.slice(resolved + 1).filter((alert) => alert.state === 'firing')).toEqual([]);
    expect(await fixture.active(RULE)).toEqual([]);

    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(notificationsOf(agent.alerts, RULE)).toEqual(['firing critical', 'resolved']);
  });
});
