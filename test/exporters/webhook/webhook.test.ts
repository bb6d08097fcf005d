import { asyncScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerConfigSchema } from '../../../exporters/alertmanager/config.js';
import { createAlertmanagerExporter } from '../../../exporters/alertmanager/exporter.js';
import { webhookConfigSchema } from '../../../exporters/webhook/config.js';
import { createWebhookExporter } from '../../../exporters/webhook/exporter.js';
import type { WebhookPayload } from '../../../exporters/webhook/payload.js';
import { alertmanagerFingerprint } from '../../../src/alerts/index.js';
import { ALERTMANAGER_RECEIVER, startAlertmanager } from '../../helpers/alertmanager.js';
import { createTestContext } from '../../helpers/context.js';
import { latencyEvent, resolvedEvent } from '../../alerts/events.js';
import { eventually, RecordingServer } from '../alertmanager/recording-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function endpoint(): Promise<RecordingServer> {
  const server = await new RecordingServer().start();
  cleanups.push(() => server.close());
  return server;
}

function webhook(url: string, written: Record<string, unknown> = {}) {
  const ctx = createTestContext({ id: 'webhook', scheduler: asyncScheduler });
  const exporter = createWebhookExporter(webhookConfigSchema.parse({ url, retry_max_interval: '500ms', ...written }), ctx);
  cleanups.push(() => ctx.store.close());
  cleanups.push(() => exporter.shutdown());
  return { ctx, exporter, outbox: ctx.storage.log('outbox') };
}

const payloads = (server: RecordingServer): WebhookPayload[] => server.accepted().map((request) => request.body as WebhookPayload);

const LABELS = { alertname: 'latency', service: 'api', severity: 'warning', team: 'payments' };

describe('webhook sink', () => {
  it("POSTs a firing alert as Alertmanager's version 4 payload, field by field", async () => {
    const server = await endpoint();
    const { exporter } = webhook(`${server.url}/hook`, { receiver: 'ops', external_url: 'https://healthpipe.example' });
    const time = Date.UTC(2026, 10, 29, 18, 0, 0, 250);
    exporter.consume([latencyEvent({ time, startsAt: time, message: 'GET /health took 300 ms' })], 'alerts');
    await eventually(() => expect(server.accepted()).toHaveLength(1));

    const [request] = server.requests;
    expect(request!.path).toBe('/hook');
    expect(request!.headers['content-type']).toBe('application/json');
    const annotations = {
      summary: 'api latency warning: 0.3 (threshold 0.2)',
      message: 'GET /health took 300 ms',
      value: '0.3',
      threshold: '0.2',
      window: '1m',
    };
    expect(request!.body).toEqual({
      version: '4',
      groupKey: '{}:{alertname="latency", service="api"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'ops',
      groupLabels: { alertname: 'latency', service: 'api' },
      commonLabels: LABELS,
      commonAnnotations: annotations,
      externalURL: 'https://healthpipe.example',
      alerts: [
        {
          status: 'firing',
          labels: LABELS,
          annotations,
          startsAt: '2026-11-29T18:00:00.250Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: alertmanagerFingerprint(LABELS),
        },
      ],
    });
  });

  it('a level change is one payload resolving the old severity and firing the new; a resolve ends the current one', async () => {
    const server = await endpoint();
    const { exporter } = webhook(server.url);
    exporter.consume([latencyEvent({ time: 1_000, startsAt: 1_000 })], 'alerts');
    exporter.consume([latencyEvent({ level: 'critical', previousLevel: 'warning', time: 2_000, startsAt: 2_000 })], 'alerts');
    exporter.consume([resolvedEvent('critical', { time: 3_000 })], 'alerts');
    await eventually(() => expect(server.accepted()).toHaveLength(3));

    const [, change, resolved] = payloads(server);
    expect(change!.status).toBe('firing');
    expect(change!.alerts.map((alert) => [alert.labels['severity'], alert.status])).toEqual([
      ['warning', 'resolved'],
      ['critical', 'firing'],
    ]);
    expect(change!.alerts[0]!.startsAt).toBe(new Date(1_000).toISOString());
    expect(change!.commonLabels).toEqual({ alertname: 'latency', service: 'api', team: 'payments' });
    expect(resolved!.status).toBe('resolved');
    expect(resolved!.alerts).toMatchObject([{ status: 'resolved', labels: { severity: 'critical' }, startsAt: new Date(2_000).toISOString() }]);
    expect(Date.parse(resolved!.alerts[0]!.endsAt)).toBeGreaterThan(3_000);
  });

  it('retries while the receiver answers 503 and delivers in order once it takes them', async () => {
    const server = await endpoint();
    server.status = 503;
    const { exporter, outbox, ctx } = webhook(server.url);
    exporter.consume([latencyEvent()], 'alerts');
    exporter.consume([resolvedEvent('warning')], 'alerts');
    await eventually(() => expect(server.requests.length).toBeGreaterThanOrEqual(3));
    // Its component status says so (what `/healthz` shows).
    expect(ctx.statuses.list()).toMatchObject([{ state: 'degraded', lastError: { message: `delivery failed, retrying: HTTP 503 from ${server.url}/` } }]);
    server.status = undefined;

    await eventually(() => expect(outbox.size()).toBe(0));
    expect(payloads(server).map((payload) => payload.status)).toEqual(['firing', 'resolved']);
    expect(ctx.telemetry.counts.sent).toBe(2);
    expect(ctx.statuses.list()).toMatchObject([{ state: 'running' }]);
  });

  it('drops a payload refused with 400, counted and logged', async () => {
    const server = await endpoint();
    server.status = 400;
    const { exporter, outbox, ctx } = webhook(server.url);
    exporter.consume([latencyEvent()], 'alerts');
    await eventually(() => expect(ctx.telemetry.counts.failed).toBe(1));
    expect(outbox.size()).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(ctx.logs.records().some((record) => record['level'] === 'error' && String(record['reason']).startsWith('HTTP 400'))).toBe(true);
  });

  it('sends user-info as Basic auth and its headers, and logs none of them', async () => {
    const server = await endpoint();
    server.status = 500;
    const host = server.url.replace('http://', '');
    const { exporter, ctx } = webhook(`http://hook-user:hook-pa55@${host}/in?api_key=qs-secret-1`, { headers: { 'X-Token': 'hdr-secret-2' } });
    exporter.consume([latencyEvent()], 'alerts');
    await eventually(() => expect(server.requests.length).toBeGreaterThanOrEqual(2));

    expect(server.requests[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('hook-user:hook-pa55').toString('base64')}`);
    expect(server.requests[0]!.headers['x-token']).toBe('hdr-secret-2');
    expect(server.requests[0]!.path).toBe('/in?api_key=qs-secret-1');
    const logs = ctx.logs.lines.join('\n');
    expect(logs).toContain(`http://***@${host}/in?api_key=***`);
    for (const secret of ['hook-user', 'hook-pa55', 'qs-secret-1', 'hdr-secret-2']) expect(logs).not.toContain(secret);
  });

  it('sends what Alertmanager 0.25 itself POSTs to a webhook receiver for the same alert', async () => {
    const fromAlertmanager = await endpoint();
    const fromSink = await endpoint();
    const am = await startAlertmanager({ webhookUrl: `${fromAlertmanager.url}/hook` });
    cleanups.push(() => am.stop());
    const amCtx = createTestContext({ id: 'alertmanager', scheduler: asyncScheduler });
    const toAlertmanager = createAlertmanagerExporter(alertmanagerConfigSchema.parse({ url: am.url }), amCtx);
    cleanups.push(() => amCtx.store.close());
    cleanups.push(() => toAlertmanager.shutdown());
    const { exporter } = webhook(`${fromSink.url}/hook`, { receiver: ALERTMANAGER_RECEIVER });

    const time = Date.now() - 1_000;
    const firing = latencyEvent({ time, startsAt: time, message: 'slow' });
    toAlertmanager.consume([firing], 'alerts');
    exporter.consume([firing], 'alerts');
    await eventually(() => expect(fromAlertmanager.accepted()).toHaveLength(1));
    await eventually(() => expect(fromSink.accepted()).toHaveLength(1));
    expectSamePayload(payloads(fromSink)[0]!, payloads(fromAlertmanager)[0]!);

    const resolved = resolvedEvent('warning', { time: Date.now() });
    toAlertmanager.consume([resolved], 'alerts');
    exporter.consume([resolved], 'alerts');
    await eventually(() => expect(fromAlertmanager.accepted()).toHaveLength(2));
    await eventually(() => expect(fromSink.accepted()).toHaveLength(2));
    expectSamePayload(payloads(fromSink)[1]!, payloads(fromAlertmanager)[1]!);
  });
});

/** Every field alike but externalURL (Alertmanager's own address) and times, which match to the second. */
function expectSamePayload(ours: WebhookPayload, theirs: WebhookPayload): void {
  const { externalURL: _ours, alerts: ourAlerts, ...ourFields } = ours;
  const { externalURL: _theirs, alerts: theirAlerts, ...theirFields } = theirs as WebhookPayload & { notification_reason?: string };
  expect(ourFields).toEqual(theirFields);
  expect(ourAlerts).toHaveLength(theirAlerts.length);
  ourAlerts.forEach((alert, index) => {
    const their = theirAlerts[index]!;
    const { startsAt, endsAt, ...rest } = alert;
    const { startsAt: theirStart, endsAt: theirEnd, ...theirRest } = their;
    expect(rest).toEqual(theirRest);
    expect(Math.abs(Date.parse(startsAt) - Date.parse(theirStart))).toBeLessThan(1_000);
    if (alert.status === 'firing') expect(endsAt).toBe(theirEnd);
    else expect(Math.abs(Date.parse(endsAt) - Date.parse(theirEnd))).toBeLessThan(1_000);
  });
}
