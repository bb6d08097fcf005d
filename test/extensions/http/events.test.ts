import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, stopAllApis } from './api-fixture.js';
import { EventStreamClient } from './event-stream.js';
import { ScriptedHistory, firingAlert } from './fake-history.js';

const T = Date.parse('2026-11-30T02:00:00Z');
const streams: EventStreamClient[] = [];

async function openStream(url: string): Promise<EventStreamClient> {
  const stream = await EventStreamClient.open(url);
  streams.push(stream);
  return stream;
}

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await stopAllApis();
});

const FAST = { poll_interval: '100ms', heartbeat_interval: '1s' };

describe('/api/events: server-sent events', () => {
  it('starts with retry and a snapshot, then sends what changed, component changes and heartbeats', async () => {
    const history = new ScriptedHistory();
    history.servicesList = [{ service: 'api', level: 'info', levelSince: T, lastPoint: T, firing: 0 }];
    const api = await startApi(history, FAST);
    api.context.statuses.set('health_check', 'receiver', 'running');
    const stream = await openStream(`${api.base}/api/events`);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toBe('no-store');

    await stream.until(() => stream.events('snapshot').length === 1);
    expect(stream.raw.startsWith('retry: 2000\n\nevent: snapshot\ndata: {')).toBe(true);
    expect(stream.events('snapshot')[0]).toMatchObject({
      services: [{ service: 'api', level: 'info', status: 'pass' }],
      alerts: [],
      components: [{ id: 'health_check', state: 'running' }],
    });

    // A new point alone (last_point moves) is no change a reader sees.
    history.servicesList = [{ service: 'api', level: 'info', levelSince: T, lastPoint: T + 15_000, firing: 0 }];
    history.servicesList = [{ service: 'api', level: 'critical', levelSince: T + 30_000, lastPoint: T + 30_000, firing: 1 }];
    history.alertList = [firingAlert('api', 'critical', T + 30_000)];
    await stream.until(() => stream.events('services').length > 0 && stream.events('alerts').length > 0);
    expect(stream.events('services')).toEqual([{ services: [expect.objectContaining({ service: 'api', level: 'critical', status: 'fail', firing: 1 })] }]);
    expect(stream.events('alerts')).toEqual([{ alerts: [expect.objectContaining({ fingerprint: 'api-response_time', level: 'critical' })] }]);

    api.context.statuses.reporterFor('health_check', 'receiver').degraded('registry down');
    await stream.until(() => stream.events('component').length > 0);
    expect(stream.events('component')[0]).toMatchObject({ id: 'health_check', state: 'degraded', last_error: { message: 'registry down' } });

    await stream.until(() => stream.blocks.some((block) => block.comments.includes('heartbeat')));
    // Every block is one event or one comment; every data line is one JSON document.
    for (const block of stream.blocks) {
      if (block.data !== undefined) expect(() => JSON.parse(block.data!)).not.toThrow();
    }
    // Nothing more was sent for an unchanged store.
    expect(stream.events('services')).toHaveLength(1);
  });

  it('reads the store only while a stream is open', async () => {
    const history = new ScriptedHistory();
    const api = await startApi(history, FAST);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(history.reads).toBe(0);
    const stream = await openStream(`${api.base}/api/events`);
    await stream.until(() => history.reads >= 4);
    stream.close();
    await stream.until(() => stream.ended);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = history.reads;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(history.reads).toBe(after);
  });

  it('answers HEAD with the stream\'s headers and no stream', async () => {
    const history = new ScriptedHistory();
    const api = await startApi(history, { ...FAST, max_streams: 1 });
    const head = await call(`${api.base}/api/events`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    // It holds no stream: the one allowed is still free.
    const stream = await openStream(`${api.base}/api/events`);
    await stream.until(() => stream.events('snapshot').length === 1);
  });

  it('refuses a stream beyond max_streams with 503', async () => {
    const api = await startApi(new ScriptedHistory(), { ...FAST, max_streams: 1 });
    const first = await openStream(`${api.base}/api/events`);
    await first.until(() => first.events('snapshot').length === 1);
    const refused = await call(`${api.base}/api/events`);
    expect(refused.status).toBe(503);
    expect(refused.json().error).toContain('max_streams: 1');
    first.close();
    await first.until(() => first.ended);
    // The server learns of the close a moment later: a new stream is taken once it has.
    let next = await openStream(`${api.base}/api/events`);
    for (let attempt = 0; next.response.statusCode === 503 && attempt < 100; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      next = await openStream(`${api.base}/api/events`);
    }
    await next.until(() => next.events('snapshot').length === 1);
  });
});
