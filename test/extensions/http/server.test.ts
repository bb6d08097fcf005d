import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpConfigSchema } from '../../../extensions/http/config.js';
import { httpExtension } from '../../../extensions/http/index.js';
import { call, startApi, stopAllApis } from './api-fixture.js';
import { EventStreamClient } from './event-stream.js';
import { ScriptedHistory } from './fake-history.js';
import { createTestContext } from '../../helpers/context.js';
import { listenOnFreePort } from '../../helpers/local-server.js';

afterEach(stopAllApis);

describe('the http extension\'s listener', () => {
  it('refuses to start on a port in use, naming the address', async () => {
    const holder = await listenOnFreePort(createServer());
    const context = createTestContext({ id: 'http' });
    const extension = httpExtension.create(httpConfigSchema.parse({ endpoint: `127.0.0.1:${holder.port}` }), {
      ...context,
      components: context.statuses,
      history: new ScriptedHistory(),
    });
    await expect(extension.start()).rejects.toThrow(`cannot listen on 127.0.0.1:${holder.port}: address already in use (EADDRINUSE)`);
    await extension.shutdown();
    await holder.close();
    context.store.close();
  });

  it('closes open event streams and kept-alive connections on shutdown, promptly, and frees the port', async () => {
    const api = await startApi(new ScriptedHistory(), { poll_interval: '100ms' });
    const streams = await Promise.all([1, 2, 3].map(() => EventStreamClient.open(`${api.base}/api/events`)));
    for (const stream of streams) await stream.until(() => stream.events('snapshot').length === 1);
    const started = performance.now();
    await api.stop();
    for (const stream of streams) await stream.until(() => stream.ended, 5000);
    expect(performance.now() - started).toBeLessThan(5000);
    // The port is free again at once: another server binds it.
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(api.port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => again.close(resolve));
  });
});

describe('its configuration', () => {
  it('listens on 127.0.0.1:13133 by default, with no token', () => {
    expect(httpConfigSchema.parse({})).toEqual({ endpoint: '127.0.0.1:13133', poll_interval: 1000, heartbeat_interval: 15_000, max_streams: 32 });
  });

  it('refuses a malformed endpoint and a short token', () => {
    expect(httpConfigSchema.safeParse({ endpoint: '13133' }).success).toBe(false);
    expect(httpConfigSchema.safeParse({ endpoint: '127.0.0.1:70000' }).success).toBe(false);
    expect(httpConfigSchema.safeParse({ token: 'short' }).success).toBe(false);
    expect(httpConfigSchema.safeParse({ unknown: 1 }).success).toBe(false);
  });
});

describe('requests to another host name (DNS rebinding)', () => {
  it('answers loopback names and refuses any other Host with 400, before any route', async () => {
    const api = await startApi(new ScriptedHistory());
    for (const host of ['127.0.0.1', `127.0.0.1:${api.port}`, `localhost:${api.port}`, `[::1]:${api.port}`]) {
      expect((await call(`${api.base}/api/services`, { headers: { host } })).status).toBe(200);
    }
    for (const host of [`attacker.example:${api.port}`, 'attacker.example', '10.0.0.1']) {
      const answer = await call(`${api.base}/api/services`, { headers: { host } });
      expect(answer.status).toBe(400);
      expect(answer.json().error).toContain('loopback address only');
    }
  });
});
