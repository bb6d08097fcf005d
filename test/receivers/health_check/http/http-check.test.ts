import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '../../../../receivers/health_check/check-result.js';
import { createHttpCheck, httpCheckSchema, httpCheckSecrets } from '../../../../receivers/health_check/http/index.js';
import { closedPort, eventually, httpServer, tcpServer, type LocalServer } from './servers.js';

const servers: LocalServer[] = [];
const checks: Check[] = [];

afterEach(async () => {
  for (const check of checks.splice(0)) check.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const server = await httpServer(handler);
  servers.push(server);
  return server;
}

function check(config: Record<string, unknown>): Check {
  const parsed = httpCheckSchema.parse(config);
  const made = createHttpCheck(parsed, { secrets: httpCheckSecrets(parsed) });
  checks.push(made);
  return made;
}

/** A generous signal: the tests below that are not about timeouts must never hit it. */
const patient = (): AbortSignal => AbortSignal.timeout(30_000);

const answer =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  };

describe('http check', () => {
  it('answers ok with the status and the phases of a new connection', async () => {
    const server = await serve(answer(200, 'fine'));
    const result = await check({ url: `${server.url}/health` }).run(patient());
    expect(result).toMatchObject({ state: 'ok', httpStatus: 200 });
    expect(result.errorType).toBeUndefined();
    expect(result.message).toBeUndefined();
    // An IP address is not looked up; http has no handshake.
    expect(Object.keys(result.phases ?? {}).sort()).toEqual(['connect', 'first_byte', 'total']);
    expect(result.duration).toBeGreaterThan(0);
    expect(result.certRemaining).toBeUndefined();
  });

  it('reuses its connection: the second check reports first_byte and total only', async () => {
    const server = await serve(answer(200, 'fine'));
    const target = check({ url: `${server.url}/health` });
    await target.run(patient());
    const second = await target.run(patient());
    expect(second.state).toBe('ok');
    expect(Object.keys(second.phases ?? {}).sort()).toEqual(['first_byte', 'total']);
    expect(server.connections()).toBe(1);
  });

  it('opens a connection per check without keep_alive', async () => {
    const server = await serve(answer(200));
    const target = check({ url: server.url, keep_alive: false });
    await target.run(patient());
    const second = await target.run(patient());
    expect(second.phases).toHaveProperty('connect');
    expect(server.connections()).toBe(2);
  });

  it('sends a request that was closed on while kept once more on a new connection', async () => {
    // The first connection answers one request, then drops the next without answering: what a
    // server's idle timeout does to a kept connection just as it is reused.
    const server = await tcpServer((socket, index) => {
      let requests = 0;
      socket.on('data', () => {
        requests++;
        if (index === 0 && requests === 2) socket.destroy();
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      });
    });
    servers.push(server);
    const target = check({ url: server.url });
    expect((await target.run(patient())).state).toBe('ok');
    expect((await target.run(patient())).state).toBe('ok');
    expect(server.connections()).toBe(2);
  });

  it('is critical on an unexpected status, named by its code and standard reason', async () => {
    const server = await serve(answer(503, 'down'));
    const result = await check({ url: server.url }).run(patient());
    expect(result).toMatchObject({ state: 'critical', errorType: 'unexpected_status', message: 'HTTP 503 Service Unavailable', httpStatus: 503 });
  });

  it('accepts the statuses of expect_status', async () => {
    const server = await serve(answer(301, '', { location: '/elsewhere' }));
    expect((await check({ url: server.url }).run(patient())).message).toBe('HTTP 301 Moved Permanently');
    expect((await check({ url: server.url, expect_status: '200-299,301' }).run(patient())).state).toBe('ok');
  });

  it('sends method, headers and body as configured', async () => {
    const seen: Array<{ method?: string; header?: string; body: string }> = [];
    const server = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, header: req.headers['x-probe'] as string | undefined, body });
        res.end('created');
      });
    });
    const result = await check({ url: server.url, method: 'POST', headers: { 'X-Probe': 'yes-1' }, body: '{"ping":1}' }).run(patient());
    expect(result.state).toBe('ok');
    expect(seen).toEqual([{ method: 'POST', header: 'yes-1', body: '{"ping":1}' }]);
  });

  it('checks the status of a HEAD answer, which has no body', async () => {
    const server = await serve(answer(204));
    const target = check({ url: server.url, method: 'HEAD' });
    expect(await target.run(patient())).toMatchObject({ state: 'ok', httpStatus: 204 });
    expect((await target.run(patient())).phases).not.toHaveProperty('connect');
  });

  describe('body', () => {
    const json = JSON.stringify({ status: 'up', checks: [{ state: 'degraded' }] });

    it('holds body_contains, body_regex and json_path equals', async () => {
      const server = await serve(answer(200, json));
      const config = { url: server.url, body_contains: '"up"', body_regex: 'checks.*state', json_path: 'status', equals: 'up' };
      expect((await check(config).run(patient())).state).toBe('ok');
    });

    it.each([
      [{ body_contains: 'ok' }, 'body does not contain "ok"'],
      [{ body_regex: '^\\s*<html' }, 'body does not match /^\\s*<html/'],
      [{ json_path: 'checks[0].state', equals: 'up' }, 'checks[0].state is "degraded", expected "up"'],
      [{ json_path: 'checks[1].state' }, 'checks[1].state not found in the body'],
    ])('is critical when the body fails %j', async (expectation, message) => {
      const server = await serve(answer(200, json));
      const result = await check({ url: server.url, ...expectation }).run(patient());
      expect(result).toMatchObject({ state: 'critical', errorType: 'unexpected_body', message, httpStatus: 200 });
    });

    it('says when the body is not JSON', async () => {
      const server = await serve(answer(200, '<html>'));
      expect((await check({ url: server.url, json_path: 'status' }).run(patient())).message).toBe('body is not JSON');
    });

    it('reads no more than max_body of an endless body', async () => {
      // A body that never ends: only a bounded read lets the check answer.
      const server = await serve((_req, res) => {
        res.writeHead(200);
        const chunk = 'x'.repeat(16 * 1024);
        const write = (): void => {
          while (res.write(chunk));
          res.once('drain', write);
        };
        write();
      });
      const contains = await check({ url: server.url, body_contains: 'ok', max_body: '64KiB' }).run(patient());
      expect(contains).toMatchObject({ state: 'critical', message: 'body does not contain "ok"' });
      const json = await check({ url: server.url, json_path: 'status', max_body: '64KiB' }).run(patient());
      expect(json.message).toBe('body is larger than max_body: cannot read it as JSON');
    });
  });

  describe('redirects', () => {
    it('follows them when asked, sending headers only to the same origin', async () => {
      const received: Array<string | undefined> = [];
      const other = await serve((req, res) => {
        received.push(req.headers['x-api-key'] as string | undefined);
        res.end('ok');
      });
      const server = await serve((req, res) => {
        received.push(req.headers['x-api-key'] as string | undefined);
        res.writeHead(302, { location: req.url === '/' ? '/next' : `${other.url}/final` });
        res.end();
      });
      const config = { url: `${server.url}/`, headers: { 'X-Api-Key': 'key-abc' }, body_contains: 'ok' };
      expect((await check(config).run(patient())).message).toBe('HTTP 302 Found');
      received.length = 0;
      const result = await check({ ...config, follow_redirects: true }).run(patient());
      expect(result).toMatchObject({ state: 'ok', httpStatus: 200 });
      expect(received).toEqual(['key-abc', 'key-abc', undefined]);
    });

    it('stops after 10', async () => {
      const server = await serve((_req, res) => {
        res.writeHead(307, { location: '/again' });
        res.end();
      });
      const result = await check({ url: server.url, follow_redirects: true }).run(patient());
      expect(result).toMatchObject({ state: 'critical', errorType: 'unexpected_status', httpStatus: 307 });
    });
  });

  describe('failures', () => {
    it('times out on a slow answer, promptly, releasing its socket', async () => {
      const server = await serve((_req, res) => {
        const timer = setTimeout(() => res.end('late'), 60_000);
        res.once('close', () => clearTimeout(timer));
      });
      const begun = Date.now();
      const result = await check({ url: server.url }).run(AbortSignal.timeout(200));
      expect(result).toMatchObject({ state: 'critical', errorType: 'timeout', message: 'no answer within the timeout' });
      expect(Date.now() - begun).toBeLessThan(20_000);
      await eventually(() => server.connections() === 1 && server.open() === 0);
    });

    it('times out on a server that accepts and never answers', async () => {
      // It reads (so it sees the client leave) and never writes.
      const server = await tcpServer((socket) => socket.resume());
      servers.push(server);
      const result = await check({ url: server.url }).run(AbortSignal.timeout(200));
      expect(result).toMatchObject({ state: 'critical', errorType: 'timeout' });
      await eventually(() => server.connections() === 1 && server.open() === 0);
    });

    it('says "check cancelled" when aborted for another reason', async () => {
      const server = await tcpServer(() => undefined);
      servers.push(server);
      const controller = new AbortController();
      const running = check({ url: server.url }).run(controller.signal);
      await eventually(() => server.connections() === 1);
      controller.abort();
      expect(await running).toMatchObject({ state: 'critical', errorType: 'timeout', message: 'check cancelled' });
    });

    it('is connection_refused on a port nothing listens on', async () => {
      const port = await closedPort();
      const result = await check({ url: `http://127.0.0.1:${port}/` }).run(patient());
      expect(result).toMatchObject({ state: 'critical', errorType: 'connection_refused', message: 'connection refused' });
      expect(result.httpStatus).toBeUndefined();
    });

    it('is connection_reset when the server drops the connection unanswered', async () => {
      const server = await tcpServer((socket) => socket.once('data', () => socket.destroy()));
      servers.push(server);
      expect(await check({ url: server.url }).run(patient())).toMatchObject({ state: 'critical', errorType: 'connection_reset' });
    });

    it('is protocol when the answer is not HTTP', async () => {
      const server = await tcpServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n')));
      servers.push(server);
      const result = await check({ url: server.url }).run(patient());
      expect(result).toMatchObject({ state: 'critical', errorType: 'protocol' });
      expect(result.message).toMatch(/^not an HTTP answer/);
    });
  });

  describe('secrets', () => {
    /** Echoes what it was sent, as a careless debug endpoint would. */
    const echo = (req: IncomingMessage, res: ServerResponse): void => {
      res.end(JSON.stringify({ state: `${req.headers['authorization'] ?? ''} ${req.headers['x-api-key'] ?? ''}` }));
    };

    it('sends the bearer token, header values and URL credentials, and never shows them in a message', async () => {
      const server = await serve(echo);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ bearer_token: 'token-s3cr3t' }, 'token-s3cr3t'],
        [{ headers: { 'X-Api-Key': 'key-s3cr3t' } }, 'key-s3cr3t'],
      ];
      for (const [extra, secret] of cases) {
        const result = await check({ url: server.url, json_path: 'state', equals: 'fine', ...extra }).run(patient());
        expect(result.message).toMatch(/^state is ".*\*\*\*.*", expected "fine"$/);
        expect(result.message).not.toContain(secret);
      }
      const port = server.url.split(':').at(-1);
      const basic = await check({ url: `http://probe:pa%24%24word@127.0.0.1:${port}/`, json_path: 'state', equals: 'fine' }).run(patient());
      expect(basic.message).not.toContain(Buffer.from('probe:pa$$word').toString('base64'));
      expect(basic.message).toContain('Basic ***');
    });

    it('never puts the URL or its credentials in a failure message', async () => {
      const port = await closedPort();
      const result = await check({ url: `http://probe:pa55word@127.0.0.1:${port}/?key=abc` }).run(patient());
      expect(result.message).toBe('connection refused');
    });
  });
});

export type { CheckResult };
