import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Agent } from '../helpers/agent.js';
import { postedAlerts, startAlertingFixture, type AlertingFixture } from '../helpers/alerting-fixture.js';
import { firingStartsBySeverity, isWindowMean } from '../helpers/alert-expectations.js';

/**
 * Issue 6, "What it must show" 1: the agent stopped by SIGTERM and by SIGKILL while an
 * alert fires → after the restart no notification repeats inside the cooldown, and the
 * alert stays active in Alertmanager (its re-send continues, with the same startsAt).
 */

const RULE = 'slow';
const STEP_MS = 45_000;

let fixture: AlertingFixture;
let agent: Agent;

beforeAll(async () => {
  fixture = await startAlertingFixture({ latencyMs: 450 });
  agent = fixture.agent({
    targets: [`{ service: web, http: { url: "${fixture.service.url}/health" } }`],
    rules: [`{ name: ${RULE}, metric: healthcheck.duration, aggregate: mean, above: { critical: 0.3 } }`],
    sinks: { alertmanager: `{ url: "${fixture.hop.url}", resend_interval: 1s }` },
  });
});

afterAll(() => fixture?.stop());

/** Alerts the hop saw Alertmanager accept since `from` (an index into its requests). */
function postedSince(from: number) {
  const accepted = fixture.hop.accepted('/api/v2/alerts');
  const firstNew = accepted.findIndex((request) => fixture.hop.requests.indexOf(request) >= from);
  return firstNew < 0 ? [] : postedAlerts(fixture.hop, RULE).filter((alert) => alert.post >= firstNew);
}

describe('the agent stopped while an alert fires', () => {
  it('fires once, to the console and to Alertmanager', { timeout: 120_000 }, async () => {
    await agent.start();
    await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'firing' && alert.level === 'critical', STEP_MS);
    await vi.waitFor(async () => expect(await fixture.active(RULE)).toHaveLength(1), { timeout: STEP_MS, interval: 200 });
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`after ${signal} and a restart: no repeat inside the cooldown, still active in Alertmanager`, { timeout: 180_000 }, async () => {
      const before = (await fixture.active(RULE))[0]!;
      const code = await agent.stop(signal);
      expect(code).toBe(signal === 'SIGTERM' ? 0 : null);
      const requestsAtRestart = fixture.hop.requests.length;

      await agent.start();
      const run = agent.run;
      // Three windows closed in the new run: the threshold has seen the slow service again.
      await agent.waitForPoints((point) => point.run === run && isWindowMean('web')(point), 3, STEP_MS);
      expect(agent.alerts.filter((alert) => alert.run === run && alert.rule === RULE)).toEqual([]);

      // The re-send continues after the restart, and Alertmanager keeps the same alert.
      await vi.waitFor(() => expect(postedSince(requestsAtRestart).some((alert) => alert.state === 'firing')).toBe(true), {
        timeout: STEP_MS,
        interval: 200,
      });
      expect(postedSince(requestsAtRestart).filter((alert) => alert.state === 'resolved')).toEqual([]);
      const after = await fixture.active(RULE);
      expect(after).toHaveLength(1);
      expect(after[0]!.startsAt).toBe(before.startsAt);
      expect(after[0]!.labels).toEqual(before.labels);
      expect(Date.parse(after[0]!.endsAt)).toBeGreaterThan(Date.now());
    });
  }

  it('told Alertmanager of one alert only, across both restarts', async () => {
    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(agent.alerts.filter((alert) => alert.rule === RULE).map((alert) => `${alert.state} ${alert.level}`)).toEqual([
      'firing critical',
    ]);
    expect(firingStartsBySeverity(postedAlerts(fixture.hop, RULE))).toEqual({ critical: [expect.any(String)] });
  });
});
