import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTMANAGER_RECEIVER, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';

/**
 * The Alertmanager the alert sinks are tested against (DESIGN.md section 5), checked against
 * what PROTOCOLS.md says of its API v2 and of its webhook payload, version "4".
 */

const labels = { alertname: 'ServiceDown', service: 'checkout', severity: 'critical' };

function alert(endsAt: Date) {
  return {
    labels,
    annotations: { summary: 'checkout does not answer' },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: endsAt.toISOString(),
  };
}

async function postAlerts(am: RunningAlertmanager, alerts: object[]): Promise<void> {
  const response = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(response.status, await response.text()).toBe(200);
}

/** An HTTP server that records each JSON body POSTed to it; next() waits at most 5 s for one. */
async function webhookCapture(): Promise<{ server: Server; url: string; next(): Promise<Record<string, unknown>> }> {
  const bodies: Record<string, unknown>[] = [];
  const waiting: ((body: Record<string, unknown>) => void)[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      response.end();
      const body = JSON.parse(text) as Record<string, unknown>;
      const waiter = waiting.shift();
      if (waiter) waiter(body);
      else bodies.push(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    server,
    url: `http://127.0.0.1:${address.port}/hook`,
    next: () => {
      const body = bodies.shift();
      if (body) return Promise.resolve(body);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no webhook notification within 5 s')), 5_000);
        waiting.push((arrived) => {
          clearTimeout(timer);
          resolve(arrived);
        });
      });
    },
  };
}

describe('Alertmanager 0.25 from Debian', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function start(options?: Parameters<typeof startAlertmanager>[0]): Promise<RunningAlertmanager> {
    const am = await startAlertmanager(options);
    cleanups.push(() => am.stop());
    return am;
  }

  it('lists a posted alert as active, and drops it once posted with endsAt now', async () => {
    const am = await start();

    await postAlerts(am, [alert(new Date(Date.now() + 5 * 60_000))]);
    const active = await am.alerts();
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      labels,
      annotations: { summary: 'checkout does not answer' },
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      receivers: [{ name: ALERTMANAGER_RECEIVER }],
    });
    expect(active[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);

    await postAlerts(am, [alert(new Date())]);
    expect(await am.alerts()).toEqual([]);
  });

  it('answers again on the same port after a restart', async () => {
    const am = await start();
    await postAlerts(am, [alert(new Date(Date.now() + 5 * 60_000))]);

    await am.restart();

    // 0.25 keeps silences and notification log on disk, not alerts: a sink must re-send.
    await postAlerts(am, [alert(new Date(Date.now() + 5 * 60_000))]);
    const active = await am.alerts();
    expect(active.map((a) => a.labels)).toEqual([labels]);
  });

  it('refuses restart after stop, and a stopped one no longer answers', async () => {
    const am = await start();
    await am.stop();

    await expect(fetch(`${am.url}/-/ready`)).rejects.toThrow();
    await expect(am.restart()).rejects.toThrow(/after stop/);
  });

  it('notifies a webhook receiver with the version "4" payload, firing then resolved', async () => {
    const hook = await webhookCapture();
    cleanups.push(() => new Promise((resolve) => hook.server.close(() => resolve())));
    const am = await start({ webhookUrl: hook.url });

    await postAlerts(am, [alert(new Date(Date.now() + 5 * 60_000))]);
    const firing = await hook.next();
    expect(firing).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: ALERTMANAGER_RECEIVER,
      groupLabels: { alertname: 'ServiceDown', service: 'checkout' },
      commonLabels: labels,
      commonAnnotations: { summary: 'checkout does not answer' },
      truncatedAlerts: 0,
    });
    expect(firing['groupKey']).toBe('{}:{alertname="ServiceDown", service="checkout"}');
    expect(typeof firing['externalURL']).toBe('string');
    const [sent] = firing['alerts'] as Record<string, unknown>[];
    expect(sent).toMatchObject({
      status: 'firing',
      labels,
      annotations: { summary: 'checkout does not answer' },
      endsAt: '0001-01-01T00:00:00Z',
    });
    expect(sent?.['fingerprint']).toMatch(/^[0-9a-f]{16}$/);

    await postAlerts(am, [alert(new Date())]);
    const resolved = await hook.next();
    expect(resolved).toMatchObject({ version: '4', status: 'resolved', groupKey: firing['groupKey'] });
    expect(resolved['alerts']).toMatchObject([{ status: 'resolved', labels, fingerprint: sent?.['fingerprint'] }]);
  });
});
