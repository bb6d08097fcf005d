import { describe, expect, it } from 'vitest';
import { advance } from '../../delivery/destination.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { latencyEvent, resolvedEvent } from '../../alerts/events.js';
import { FakeAlertmanager, testStore, virtualSink } from './fake-alertmanager.js';

const MINUTE = 60_000;
/** resend_interval 1m: a firing alert's endsAt is 4m ahead of the POST. */
const AHEAD = 4 * MINUTE;

describe('alertmanager sink in virtual time', () => {
  function setup(config?: Record<string, unknown>) {
    const scheduler = new SteppingScheduler();
    const fake = new FakeAlertmanager(scheduler);
    const store = testStore();
    return { scheduler, fake, store, ...virtualSink({ scheduler, fake, store, config }) };
  }

  it('fires with the event labels, severity and annotations, endsAt four resend intervals ahead', async () => {
    const { scheduler, fake, exporter } = setup();
    exporter.consume([latencyEvent({ message: 'GET /health took 300 ms', annotations: { runbook_url: 'https://runbooks/api' } })], 'alerts');
    await advance(scheduler, 0);

    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0]!.alerts).toEqual([
      {
        labels: { alertname: 'latency', service: 'api', severity: 'warning', team: 'payments' },
        annotations: {
          summary: 'api latency warning: 0.3 (threshold 0.2)',
          runbook_url: 'https://runbooks/api',
          message: 'GET /health took 300 ms',
          value: '0.3',
          threshold: '0.2',
          window: '1m',
        },
        startsAt: new Date(1_000).toISOString(),
        endsAt: new Date(AHEAD).toISOString(),
      },
    ]);
    await exporter.shutdown();
  });

  it('on a level change resolves the alert of the old severity, then fires the new one', async () => {
    const { scheduler, fake, exporter } = setup();
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 10_000, 1_000);
    exporter.consume([latencyEvent({ level: 'critical', previousLevel: 'warning', value: 1.5, threshold: 1, time: 10_000, startsAt: 10_000 })], 'alerts');
    await advance(scheduler, 0);

    expect(fake.sent()).toEqual([`warning firing+${AHEAD}`, 'warning resolved', `critical firing+${AHEAD}`]);
    const [resolved, fired] = fake.posts[1]!.alerts;
    expect(resolved!.endsAt).toBe(new Date(10_000).toISOString());
    expect(resolved!.startsAt).toBe(new Date(1_000).toISOString());
    expect(fired!.startsAt).toBe(new Date(10_000).toISOString());
    await exporter.shutdown();
  });

  it('a repeat of the same level keeps the alert and its start; a resolve ends it now and stops its re-sends', async () => {
    const { scheduler, fake, exporter } = setup();
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 5_000);
    exporter.consume([latencyEvent({ value: 0.4, time: 5_000, startsAt: 5_000 })], 'alerts');
    await advance(scheduler, 5_000);
    exporter.consume([resolvedEvent('warning', { time: 10_000 })], 'alerts');
    await advance(scheduler, 5 * MINUTE, 1_000);

    expect(fake.sent()).toEqual([`warning firing+${AHEAD}`, `warning firing+${AHEAD}`, 'warning resolved']);
    expect(fake.posts[1]!.alerts[0]!.startsAt).toBe(new Date(1_000).toISOString());
    expect(fake.posts[2]!.alerts[0]).toMatchObject({
      labels: { severity: 'warning' },
      endsAt: new Date(10_000).toISOString(),
      annotations: { summary: 'api latency resolved: 0.1 (threshold 0.2)' },
    });
    await exporter.shutdown();
  });

  it('re-sends a firing alert every resend_interval with endsAt pushed ahead', async () => {
    const { scheduler, fake, exporter } = setup();
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 3 * MINUTE, 1_000);

    expect(fake.posts.map((post) => post.time)).toEqual([0, MINUTE, 2 * MINUTE, 3 * MINUTE]);
    expect(fake.posts.map((post) => Date.parse(post.alerts[0]!.endsAt) - post.time)).toEqual([AHEAD, AHEAD, AHEAD, AHEAD]);
    expect(new Set(fake.posts.map((post) => post.alerts[0]!.startsAt))).toEqual(new Set([new Date(1_000).toISOString()]));
    await exporter.shutdown();
  });

  it('while Alertmanager is down, holds at most one re-send per alert, then delivers in order', async () => {
    const { scheduler, fake, exporter, outbox } = setup({ retry_max_interval: '5s' });
    fake.down = true;
    exporter.consume([latencyEvent(), latencyEvent({ fingerprint: 'db-latency', service: 'db' })], 'alerts');
    await advance(scheduler, 10 * MINUTE, 1_000);
    // Two firings and one re-send of each alert, however many intervals went by.
    expect(outbox.size()).toBe(4);

    exporter.consume([resolvedEvent('warning', { time: scheduler.now() })], 'alerts');
    fake.down = false;
    await advance(scheduler, 10_000, 1_000);
    const api = fake.posts.flatMap((post) => post.alerts).filter((alert) => alert.labels['service'] === 'api');
    expect(api.map((alert) => Date.parse(alert.endsAt) > scheduler.now() - 10_000)).toEqual([true, true, false]);
    expect(outbox.size()).toBe(0);
    await exporter.shutdown();
  });

  it('a firing alert delivered after a long outage still lands active: endsAt is set when sent', async () => {
    const { scheduler, fake, exporter } = setup();
    fake.down = true;
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 30 * MINUTE, 5_000);
    fake.down = false;
    await advance(scheduler, 10_000, 1_000);
    const first = fake.posts[0]!;
    expect(Date.parse(first.alerts[0]!.endsAt) - first.time).toBe(AHEAD);
    await exporter.shutdown();
  });

  it('drops a batch Alertmanager refuses for good, counts and logs it, and goes on', async () => {
    const { scheduler, fake, exporter, ctx, outbox } = setup();
    fake.refuse = true;
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 0);
    expect(outbox.size()).toBe(0);
    expect(ctx.telemetry.counts.failed).toBe(1);
    expect(ctx.logs.records().some((record) => record['level'] === 'error' && String(record['reason']).includes('HTTP 400'))).toBe(true);

    // The alert is still firing: the next re-send goes out once Alertmanager takes it.
    fake.refuse = false;
    await advance(scheduler, 60_000, 1_000);
    expect(fake.sent()).toEqual([`warning firing+${AHEAD}`]);
    await exporter.shutdown();
  });

  it('after a restart delivers what was pending, re-sends the active set at once, and repeats no pending re-send', async () => {
    const scheduler = new SteppingScheduler();
    const fake = new FakeAlertmanager(scheduler);
    const store = testStore();
    const first = virtualSink({ scheduler, fake, store });
    fake.down = true;
    first.exporter.consume([latencyEvent(), latencyEvent({ fingerprint: 'db-latency', service: 'db' })], 'alerts');
    await advance(scheduler, 2 * MINUTE, 1_000);
    first.exporter.consume([resolvedEvent('warning', { time: scheduler.now() })], 'alerts');
    await first.exporter.shutdown();
    // api: firing, re-send, resolved; db: firing, re-send.
    expect(first.outbox.size()).toBe(5);

    fake.down = false;
    const second = virtualSink({ scheduler, fake, store });
    await advance(scheduler, 0);
    const sent = fake.posts.flatMap((post) => post.alerts).map((alert) => `${alert.labels['service']} ${Date.parse(alert.endsAt) > scheduler.now() ? 'firing' : 'resolved'}`);
    // The pending re-send of db stands for the re-send at start: nothing more.
    expect(sent.filter((line) => line.startsWith('api'))).toEqual(['api firing', 'api firing', 'api resolved']);
    expect(sent.filter((line) => line.startsWith('db'))).toEqual(['db firing', 'db firing']);
    expect(second.outbox.size()).toBe(0);

    // The active set survived: db is re-sent on the new exporter's timer, api is not.
    await advance(scheduler, MINUTE, 1_000);
    expect(fake.posts.at(-1)!.alerts.map((alert) => alert.labels['service'])).toEqual(['db']);
    await second.exporter.shutdown();
  });

  it('records nothing and queues nothing when the transaction it joined rolls back', async () => {
    const { scheduler, fake, exporter, ctx, outbox } = setup();
    expect(() =>
      ctx.storage.transaction(() => {
        exporter.consume([latencyEvent()], 'alerts');
        throw new Error('the cooldown could not record its decision');
      }),
    ).toThrow();
    await advance(scheduler, 2 * MINUTE, 1_000);
    expect(outbox.size()).toBe(0);
    expect(fake.posts).toEqual([]);
    expect(ctx.storage.keyed('delivered').entries()).toEqual([]);
    await exporter.shutdown();
  });

  it('forgets a firing alert no event renewed within forget_after, and re-sends it no more', async () => {
    const { scheduler, fake, exporter, ctx } = setup({ forget_after: '5m' });
    exporter.consume([latencyEvent()], 'alerts');
    await advance(scheduler, 10 * MINUTE, 10_000);
    const times = fake.posts.map((post) => post.time);
    expect(times.at(-1)).toBeLessThanOrEqual(5 * MINUTE);
    expect(ctx.storage.keyed('delivered').entries()).toEqual([]);
    expect(ctx.logs.records().some((record) => String(record['msg'] ?? record['message']).includes('forgotten'))).toBe(true);
    await exporter.shutdown();
  });
});
