import { asyncScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerConfigSchema } from '../../../exporters/alertmanager/config.js';
import { createAlertmanagerExporter } from '../../../exporters/alertmanager/exporter.js';
import type { PostableAlert } from '../../../exporters/alertmanager/notice.js';
import type { Exporter } from '../../../src/component/types.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { startAlertmanager, type RunningAlertmanager } from '../../helpers/alertmanager.js';
import { createTestContext } from '../../helpers/context.js';
import { latencyEvent, resolvedEvent } from '../../alerts/events.js';
import { eventually, RecordingServer } from './recording-server.js';

/**
 * The `alertmanager` sink against Debian's Alertmanager 0.25 (test/helpers/alertmanager.ts),
 * on the real clock: what Alertmanager lists is what a person paging on it would see.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function alertmanager(): Promise<RunningAlertmanager> {
  const am = await startAlertmanager();
  cleanups.push(() => am.stop());
  return am;
}

async function recorder(forwardTo?: string): Promise<RecordingServer> {
  const server = await new RecordingServer().start();
  server.forwardTo = forwardTo;
  cleanups.push(() => server.close());
  return server;
}

function memoryStore(): Store {
  const store = openStore(':memory:');
  cleanups.push(() => store.close());
  return store;
}

function sink(url: string, written: Record<string, unknown> = {}, store = memoryStore()) {
  const ctx = createTestContext({ id: 'alertmanager', scheduler: asyncScheduler, store });
  const exporter = createAlertmanagerExporter(alertmanagerConfigSchema.parse({ url, retry_max_interval: '500ms', ...written }), ctx);
  let stopped = false;
  const shutdown = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await exporter.shutdown();
  };
  cleanups.push(shutdown);
  return { ctx, exporter: { ...exporter, shutdown } as Exporter<'alerts'>, outbox: ctx.storage.log('outbox'), store };
}

/** An event on the real clock. */
function now<T>(make: (time: number) => T): T {
  return make(Date.now());
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

const severities = async (am: RunningAlertmanager): Promise<string[]> =>
  (await am.alerts()).map((alert) => `${alert.labels['service']} ${alert.labels['severity']}`).sort();

/** Each alert the proxy forwarded, in order, as `service severity firing|resolved` when it arrived. */
function forwarded(server: RecordingServer): string[] {
  return server.accepted().flatMap((request) =>
    (request.body as PostableAlert[]).map(
      (alert) => `${alert.labels['service']} ${alert.labels['severity']} ${Date.parse(alert.endsAt) > request.time ? 'firing' : 'resolved'}`,
    ),
  );
}

describe('alertmanager sink against Alertmanager 0.25', () => {
  it('fires with the labels, replaces the severity on a level change, and resolves', async () => {
    const am = await alertmanager();
    const { exporter } = sink(am.url);

    exporter.consume([now((time) => latencyEvent({ time, startsAt: time, message: 'GET /health took 300 ms' }))], 'alerts');
    const [firing] = await eventually(async () => {
      const active = await am.alerts();
      expect(active).toHaveLength(1);
      return active;
    });
    expect(firing!.labels).toEqual({ alertname: 'latency', service: 'api', severity: 'warning', team: 'payments' });
    expect(firing!.annotations).toMatchObject({ message: 'GET /health took 300 ms', value: '0.3', threshold: '0.2', window: '1m' });
    expect(firing!.status.state).toBe('active');

    exporter.consume([now((time) => latencyEvent({ time, startsAt: time, level: 'critical', previousLevel: 'warning', value: 1.5, threshold: 1 }))], 'alerts');
    await eventually(async () => expect(await severities(am)).toEqual(['api critical']));

    const resolvedAt = Date.now();
    exporter.consume([resolvedEvent('critical', { time: resolvedAt })], 'alerts');
    await eventually(async () => expect(await am.alerts()).toEqual([]));
  });

  it('re-sends keep a firing alert active past its first endsAt', async () => {
    const am = await alertmanager();
    // endsAt is 4 × 1s ahead of each POST.
    const { exporter } = sink(am.url, { resend_interval: '1s' });
    exporter.consume([now((time) => latencyEvent({ time, startsAt: time }))], 'alerts');
    const first = await eventually(async () => {
      const [alert] = await am.alerts();
      expect(alert).toBeDefined();
      return Date.parse(alert!.endsAt);
    });

    await new Promise((resolve) => setTimeout(resolve, first - Date.now() + 1_500));
    const [still] = await am.alerts();
    expect(still?.labels['severity']).toBe('warning');
    expect(Date.parse(still!.endsAt)).toBeGreaterThan(first);
  });

  it('delivers a firing and its resolve, in order, to an Alertmanager that was down while they happened', async () => {
    const am = await alertmanager();
    const proxy = await recorder(am.url);
    const { exporter, ctx, outbox } = sink(proxy.url);

    let restarted = false;
    const restarting = am.restart().then(() => (restarted = true));
    // Polled closely: the events must come while it is down, and it is back within ~150 ms.
    while (!restarted && (await answers(am.url))) await new Promise((resolve) => setTimeout(resolve, 5));
    exporter.consume([now((time) => latencyEvent({ time, startsAt: time }))], 'alerts');
    exporter.consume([now((time) => resolvedEvent('warning', { time: time + 1 }))], 'alerts');
    await restarting;

    await eventually(() => expect(outbox.size()).toBe(0), 20_000);
    expect(proxy.requests.some((request) => request.status === 502)).toBe(true);
    expect(forwarded(proxy)).toEqual(['api warning firing', 'api warning resolved']);
    expect(await am.alerts()).toEqual([]);
    expect(ctx.telemetry.counts.failed).toBe(0);
  });

  it('after an agent restart delivers what was pending once, and re-sends the active set', async () => {
    const am = await alertmanager();
    const proxy = await recorder(am.url);
    const store = memoryStore();
    const first = sink(proxy.url, { resend_interval: '1s' }, store);
    proxy.down = true;
    first.exporter.consume([now((time) => latencyEvent({ time, startsAt: time })), now((time) => latencyEvent({ fingerprint: 'db-latency', service: 'db', time, startsAt: time }))], 'alerts');
    first.exporter.consume([now((time) => latencyEvent({ time, startsAt: time, level: 'critical', previousLevel: 'warning', value: 1.5 }))], 'alerts');
    await eventually(() => expect(proxy.requests.length).toBeGreaterThan(0));
    await first.exporter.shutdown();
    expect(first.outbox.size()).toBeGreaterThanOrEqual(4);

    proxy.down = false;
    const second = sink(proxy.url, { resend_interval: '1s' }, store);
    await eventually(async () => expect(await severities(am)).toEqual(['api critical', 'db warning']));
    await eventually(() => expect(second.outbox.size()).toBe(0));
    const sent = forwarded(proxy);
    // The pending notices arrive once each, in order per alert, before any re-send of theirs.
    expect(sent.filter((line) => line.startsWith('api')).slice(0, 3)).toEqual(['api warning firing', 'api warning resolved', 'api critical firing']);
    expect(sent.filter((line) => line === 'api warning firing')).toHaveLength(1);
    expect(sent.filter((line) => line === 'api warning resolved')).toHaveLength(1);

    // The active set survived the restart: re-sent on the new exporter's timer.
    const before = proxy.accepted().length;
    await eventually(() => {
      const resent = forwarded(proxy).slice(sent.length);
      expect(resent).toEqual(expect.arrayContaining(['api critical firing', 'db warning firing']));
    });
    expect(proxy.accepted().length).toBeGreaterThan(before);
  });

  it('drops alerts an endpoint refuses with 400, counted and logged with its answer', async () => {
    const endpoint = await recorder();
    endpoint.status = 400;
    endpoint.answer = 'bad alert: label name invalid';
    const { exporter, ctx, outbox } = sink(endpoint.url);
    exporter.consume([now((time) => latencyEvent({ time, startsAt: time }))], 'alerts');

    await eventually(() => expect(ctx.telemetry.counts.failed).toBe(1));
    expect(outbox.size()).toBe(0);
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]!.path).toBe('/api/v2/alerts');
    const refusal = ctx.logs.records().find((record) => record['level'] === 'error');
    expect(String(refusal?.['reason'])).toBe(`HTTP 400 from ${endpoint.url}/api/v2/alerts: bad alert: label name invalid`);
  });

  it('keeps the URL credentials, the token and header values out of every log line, and sends them', async () => {
    const endpoint = await recorder();
    endpoint.status = 503;
    endpoint.answer = 'you sent Bearer tok-abcdef123 and key-987654';
    const host = endpoint.url.replace('http://', '');
    const { exporter, ctx } = sink(`http://alice:s3cret-pass@${host}/`, {
      bearer_token: 'tok-abcdef123',
      headers: { 'X-Api-Key': 'key-987654' },
    });
    exporter.consume([now((time) => latencyEvent({ time, startsAt: time }))], 'alerts');
    await eventually(() => expect(endpoint.requests.length).toBeGreaterThanOrEqual(2));

    expect(endpoint.requests[0]!.headers['authorization']).toBe('Bearer tok-abcdef123');
    expect(endpoint.requests[0]!.headers['x-api-key']).toBe('key-987654');
    const logs = ctx.logs.lines.join('\n');
    expect(logs).toContain(`http://***@${host}/api/v2/alerts`);
    expect(logs).toContain('HTTP 503');
    for (const secret of ['alice', 's3cret-pass', 'tok-abcdef123', 'key-987654']) expect(logs).not.toContain(secret);
  });

  it('sends user-info of the URL as Basic auth', async () => {
    const endpoint = await recorder();
    const { exporter } = sink(`http://alice:s3cret-pass@${endpoint.url.replace('http://', '')}`);
    exporter.consume([now((time) => latencyEvent({ time, startsAt: time }))], 'alerts');
    await eventually(() => expect(endpoint.requests).toHaveLength(1));
    expect(endpoint.requests[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('alice:s3cret-pass').toString('base64')}`);
  });
});
