import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAlertingFixture, postedAlerts, webhookNotifications, type AlertingFixture } from '../helpers/alerting-fixture.js';
import { firingStartsBySeverity, firstArrivals, isWindowMean, notificationsOf } from '../helpers/alert-expectations.js';

/**
 * Issue 6, "What it must show" 1: a local HTTP service whose latency is raised step by step
 * produces warning, then error, then critical in a real Alertmanager, then resolved when it
 * recovers, one notification per change. On the built CLI, checks every 100 ms, 1 s
 * windows, a 10 min cooldown (so the windows that straddle a step on the way down, which
 * pass through error and warning again, are repeats the cooldown holds). The bounds leave
 * 150 ms to a healthy check and at least 100 ms to each step, for a loaded machine.
 */

const RULE = 'latency';
/** Generous: a loaded 2-core machine may take seconds between a step and Alertmanager. */
const STEP_MS = 45_000;

let fixture: AlertingFixture;

beforeAll(async () => {
  fixture = await startAlertingFixture();
});

afterAll(() => fixture?.stop());

async function severitiesInAlertmanager(): Promise<string[]> {
  return (await fixture.active(RULE)).map((alert) => alert.labels['severity'] ?? '').sort();
}

describe('a service that gets slower step by step, paging a real Alertmanager', () => {
  it('is warning, then error, then critical, then resolved: one notification per change', { timeout: 300_000 }, async () => {
    const agent = fixture.agent({
      targets: [`{ service: web, http: { url: "${fixture.service.url}/health" } }`],
      rules: [`{ name: ${RULE}, metric: healthcheck.duration, aggregate: mean, above: { warning: 0.15, error: 0.4, critical: 0.8 } }`],
      sinks: { alertmanager: `{ url: "${fixture.hop.url}" }` },
    });
    await agent.start();
    // Healthy first: windows close and nothing is raised.
    await agent.waitForPoints(isWindowMean('web'), 2, STEP_MS);
    expect(notificationsOf(agent.alerts, RULE)).toEqual([]);

    for (const [latencyMs, level] of [
      [250, 'warning'],
      [600, 'error'],
      [1200, 'critical'],
    ] as const) {
      fixture.service.set({ latencyMs });
      await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'firing' && alert.level === level, STEP_MS);
      // A level change resolves the old severity and fires the new one: one active alert.
      await vi.waitFor(async () => expect(await severitiesInAlertmanager()).toEqual([level]), { timeout: STEP_MS, interval: 200 });
    }

    fixture.service.set({ latencyMs: 0 });
    await agent.waitForAlert((alert) => alert.rule === RULE && alert.state === 'resolved', STEP_MS);
    await vi.waitFor(async () => expect(await severitiesInAlertmanager()).toEqual([]), { timeout: STEP_MS, interval: 200 });
    // Healthy windows after the resolve raise nothing more.
    const seen = agent.points.filter(isWindowMean('web')).length;
    await agent.waitForPoints(isWindowMean('web'), seen + 3, STEP_MS);
    expect(await agent.stop('SIGTERM')).toBe(0);

    expect(notificationsOf(agent.alerts, RULE)).toEqual(['firing warning', 'firing error', 'firing critical', 'resolved']);
    const fired = agent.alerts.filter((alert) => alert.rule === RULE);
    expect(new Set(fired.map((alert) => alert.fingerprint)).size).toBe(1);
    expect(fired[0]!.service).toBe('web');

    // What Alertmanager accepted, in order: each severity fired once (re-sends keep their
    // startsAt) and was resolved, the old one at each escalation, the last on recovery.
    const posted = postedAlerts(fixture.hop, RULE);
    expect(firingStartsBySeverity(posted)).toEqual({
      warning: [expect.any(String)],
      error: [expect.any(String)],
      critical: [expect.any(String)],
    });
    const arrivals = firstArrivals(posted);
    expect(arrivals.filter((word) => word.startsWith('firing'))).toEqual(['firing warning', 'firing error', 'firing critical']);
    for (const severity of ['warning', 'error', 'critical']) {
      expect(arrivals.indexOf(`resolved ${severity}`)).toBeGreaterThan(arrivals.indexOf(`firing ${severity}`));
    }
    expect(arrivals.indexOf('resolved warning')).toBeLessThan(arrivals.indexOf('firing critical'));
    for (const alert of posted) {
      expect(alert.labels).toMatchObject({ alertname: RULE, service: 'web' });
    }

    // And Alertmanager itself notified its receiver of each level, in order, then the resolve.
    await vi.waitFor(
      () => {
        const last = webhookNotifications(fixture.notifications).at(-1);
        expect(last?.status).toBe('resolved');
      },
      { timeout: STEP_MS, interval: 200 },
    );
    const notified: string[] = [];
    for (const notification of webhookNotifications(fixture.notifications)) {
      expect(notification.version).toBe('4');
      for (const alert of notification.alerts) {
        const severity = alert.labels['severity'] ?? '';
        if (alert.status === 'firing' && !notified.includes(severity)) notified.push(severity);
      }
    }
    expect(notified).toEqual(['warning', 'error', 'critical']);
  });
});
