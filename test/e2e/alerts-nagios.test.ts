import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAlertingFixture, type AlertingFixture } from '../helpers/alerting-fixture.js';
import { requireComponent } from '../helpers/components.js';

/**
 * What a Nagios user tries first: their plugins, run for real (Debian's
 * monitoring-plugins-basic), raising alerts with the plugin's own first line as the
 * message, and resolving when the service is back. check_http watches an HTTP service
 * that answers 503; check_tcp a port where nothing listens yet.
 */

const RULE = 'down';
const STEP_MS = 45_000;

let fixture: AlertingFixture;
let db: Server | undefined;
let dbPort: number;

beforeAll(async () => {
  fixture = await startAlertingFixture({ status: 503 });
  dbPort = await closedPort();
});

afterAll(async () => {
  await fixture?.stop();
  await new Promise((resolve) => (db === undefined ? resolve(undefined) : db.close(resolve)));
});

describe('Nagios plugins as health checks', () => {
  it('check_http and check_tcp raise critical with the plugin’s message, and resolve when the services are back', { timeout: 240_000 }, async () => {
    const checkHttp = requireComponent('usr/lib/nagios/plugins/check_http');
    const checkTcp = requireComponent('usr/lib/nagios/plugins/check_tcp');
    const web = fixture.service;
    const agent = fixture.agent({
      interval: '200ms',
      targets: [
        `{ service: web, exec: { command: ["${checkHttp}", -H, 127.0.0.1, -p, "${web.port}", -u, /health, -t, "2"] } }`,
        `{ service: db, exec: { command: ["${checkTcp}", -H, 127.0.0.1, -p, "${dbPort}", -t, "2"] } }`,
      ],
      rules: [`{ name: ${RULE}, metric: healthcheck.up, aggregate: mean, below: { critical: 0.5 } }`],
      sinks: { alertmanager: `{ url: "${fixture.hop.url}" }` },
    });
    await agent.start();

    const webDown = await agent.waitForAlert((alert) => alert.service === 'web' && alert.state === 'firing', STEP_MS);
    const dbDown = await agent.waitForAlert((alert) => alert.service === 'db' && alert.state === 'firing', STEP_MS);
    expect(webDown).toMatchObject({ rule: RULE, level: 'critical' });
    expect(dbDown).toMatchObject({ rule: RULE, level: 'critical' });
    // The plugins' own first lines, not an exit code.
    expect(webDown.message).toMatch(/HTTP CRITICAL.*503/);
    expect(dbDown.message).toContain('Connection refused');
    await vi.waitFor(
      async () => expect((await fixture.active(RULE)).map((alert) => alert.labels['service']).sort()).toEqual(['db', 'web']),
      { timeout: STEP_MS, interval: 200 },
    );
    const inAlertmanager = await fixture.active(RULE);
    expect(inAlertmanager.find((alert) => alert.labels['service'] === 'db')?.annotations['message']).toContain('Connection refused');

    web.set({ status: 200 });
    db = await listen(dbPort);
    await agent.waitForAlert((alert) => alert.service === 'web' && alert.state === 'resolved', STEP_MS);
    await agent.waitForAlert((alert) => alert.service === 'db' && alert.state === 'resolved', STEP_MS);
    await vi.waitFor(async () => expect(await fixture.active(RULE)).toEqual([]), { timeout: STEP_MS, interval: 200 });
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});

/** A port nothing listens on (free a moment ago). */
async function closedPort(): Promise<number> {
  const server = await listen(0);
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
