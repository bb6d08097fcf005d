import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenOnFreePort, type ListeningServer } from '../../helpers/local-server.js';
import { runRegistry, type RunningRegistry } from './running-registry.js';
import { createHttpSdSource, httpSdSourceSchema } from '../../../receivers/registry/http-sd/index.js';
import type { SourceUpdate } from '../../../receivers/registry/source.js';
import { createTestContext } from '../../helpers/context.js';

const WAIT = { timeout: 20_000, interval: 20 };

/** A local http_sd endpoint whose answer the test sets; it answers 304 to a matching If-None-Match. */
class SdEndpoint {
  body = '[]';
  etag: string | undefined;
  status = 200;
  readonly requests: IncomingHttpHeaders[] = [];
  notModified = 0;
  readonly server: Server = createServer((request, response) => {
    this.requests.push(request.headers);
    if (this.etag !== undefined && request.headers['if-none-match'] === this.etag) {
      this.notModified += 1;
      response.writeHead(304).end();
      return;
    }
    response.writeHead(this.status, { 'content-type': 'application/json; charset=utf-8', ...(this.etag === undefined ? {} : { etag: this.etag }) });
    response.end(this.body);
  });
  listening: ListeningServer | undefined;

  async start(): Promise<number> {
    this.listening = await listenOnFreePort(this.server);
    return this.listening.port;
  }

  /** Listens again on the port it had. */
  restart(port: number): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
  }
}

let running: RunningRegistry[] = [];
let endpoints: SdEndpoint[] = [];
afterEach(async () => {
  for (const registry of running.splice(0)) registry.stop();
  for (const endpoint of endpoints.splice(0)) await endpoint.listening?.close().catch(() => undefined);
});

async function endpoint(): Promise<{ sd: SdEndpoint; port: number }> {
  const sd = new SdEndpoint();
  endpoints.push(sd);
  return { sd, port: await sd.start() };
}

function start(config: Record<string, unknown>): RunningRegistry {
  const registry = runRegistry({ http_sd: { refresh_interval: '1s', timeout: '2s', ...config } });
  running.push(registry);
  return registry;
}

describe('the http_sd source', () => {
  it('maps targets and labels into instances, asks with If-None-Match, and keeps the set on a 304', async () => {
    const { sd, port } = await endpoint();
    sd.etag = '"v1"';
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:8080'], labels: { job: 'api', team: 'x', __meta_dc: 'eu', health_url: 'http://127.0.0.1:8080/h' } }]);
    const registry = start({ url: `http://127.0.0.1:${port}/sd` });
    await vi.waitFor(() => expect(registry.published).toHaveLength(1), WAIT);
    expect(registry.published[0]).toEqual({
      instances: [
        { id: '127.0.0.1:8080', source: 'registry', service: 'api', host: '127.0.0.1', port: 8080, healthUrl: 'http://127.0.0.1:8080/h', labels: { job: 'api', team: 'x' } },
      ],
      stale: false,
    });
    await vi.waitFor(() => expect(sd.notModified).toBeGreaterThanOrEqual(2), WAIT);
    expect(sd.requests[0]).toMatchObject({ accept: 'application/json', 'x-prometheus-refresh-interval-seconds': '1' });
    expect(sd.requests[0]!['if-none-match']).toBeUndefined();
    expect(sd.requests[1]!['if-none-match']).toBe('"v1"');
    expect(registry.published).toHaveLength(1);
    // A new list with a new ETag is published at the next refresh.
    sd.etag = '"v2"';
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:8081'], labels: { service: 'web' } }]);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:8081'], stale: false }), WAIT);
  });

  it('goes stale when the endpoint is down, says why without its secrets, and is fresh again when it is back', async () => {
    const { sd, port } = await endpoint();
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:9'], labels: { job: 'api' } }]);
    const registry = start({ url: `http://sd-user:sd-password-123@127.0.0.1:${port}/sd?token=query-secret-456`, headers: { 'x-api-key': 'header-secret-789' } });
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: false }), WAIT);
    expect(sd.requests[0]).toMatchObject({ authorization: `Basic ${Buffer.from('sd-user:sd-password-123').toString('base64')}`, 'x-api-key': 'header-secret-789' });
    await sd.listening!.close();
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: true }), WAIT);
    const logged = registry.context.logs.lines.join('\n');
    expect(registry.warnings()).toEqual([expect.stringContaining('ECONNREFUSED')]);
    for (const secret of ['sd-password-123', 'query-secret-456', 'header-secret-789']) expect(logged).not.toContain(secret);
    await sd.restart(port);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: false }), WAIT);
  });

  it('is down on a non-2xx answer and on a body that is not a list of groups, its last set kept', async () => {
    const { sd, port } = await endpoint();
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:9'], labels: { job: 'api' } }]);
    const registry = start({ url: `http://127.0.0.1:${port}/sd` });
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: false }), WAIT);
    sd.status = 503;
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: true }), WAIT);
    expect(registry.warnings().at(-1)).toBe(`cannot read http_sd http://127.0.0.1:${port}/sd: GET http://127.0.0.1:${port}/sd: HTTP 503; its last 1 instances stand, stale`);
    sd.status = 200;
    sd.body = '[null]';
    const asked = sd.requests.length;
    await vi.waitFor(() => expect(sd.requests.length).toBeGreaterThanOrEqual(asked + 2), WAIT);
    expect(registry.last()).toEqual({ ids: ['127.0.0.1:9'], stale: true });
    sd.body = '[]';
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: [], stale: false }), WAIT);
  });

  it('reports a target without a service or job label once, and publishes the others', async () => {
    const { sd, port } = await endpoint();
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:1', '127.0.0.1:2'] }, { targets: ['127.0.0.1:3'], labels: { job: 'ok' } }]);
    const registry = start({ url: `http://127.0.0.1:${port}/sd` });
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['127.0.0.1:3'], stale: false }), WAIT);
    await vi.waitFor(() => expect(sd.requests.length).toBeGreaterThanOrEqual(3), WAIT);
    expect(registry.warnings()).toEqual([
      `http://127.0.0.1:${port}/sd [0].targets[0]: not a valid instance, skipped: service: Invalid input: expected string, received undefined`,
      `http://127.0.0.1:${port}/sd [0].targets[1]: not a valid instance, skipped: service: Invalid input: expected string, received undefined`,
    ]);
  });

  it('confirms the last set on a 304: its entries are seen again at the time of the answer', async () => {
    const { sd, port } = await endpoint();
    sd.etag = 'W/"1"';
    sd.body = JSON.stringify([{ targets: ['127.0.0.1:9'], labels: { job: 'api' } }]);
    // The real clock schedules the refreshes; the time the source stamps is the test's.
    let now = 1_000;
    const scheduler: SchedulerLike = { now: () => now, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
    const source = createHttpSdSource(httpSdSourceSchema.parse({ url: `http://127.0.0.1:${port}/sd`, refresh_interval: '1s' }), createTestContext({ scheduler }));
    const updates: SourceUpdate[] = [];
    const subscription = source.updates().subscribe((update) => updates.push(update));
    try {
      await vi.waitFor(() => expect(updates).toHaveLength(1), WAIT);
      now = 5_000;
      await vi.waitFor(() => expect(updates.length).toBeGreaterThanOrEqual(2), WAIT);
      expect(sd.notModified).toBeGreaterThanOrEqual(1);
      const seen = updates.map((update) => (update.kind === 'set' ? update.entries.map((entry) => [entry.id, entry.seenAt]) : update.reason));
      expect(seen.slice(0, 2)).toEqual([[['127.0.0.1:9', 1_000]], [['127.0.0.1:9', 5_000]]]);
    } finally {
      subscription.unsubscribe();
    }
  });
});

