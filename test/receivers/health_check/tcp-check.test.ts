import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpCheck, tcpErrorType } from '../../../receivers/health_check/tcp/tcp-check.js';

let server: Server;
let port: number;

function listen(target: Server): Promise<number> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', () => resolve((target.address() as { port: number }).port)));
}

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  port = await listen(server);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const run = (host: string, at: number, signal = new AbortController().signal) => createTcpCheck({ host, port: at }).run(signal);

describe('tcp check', () => {
  it('is ok when a real server accepts the connection', async () => {
    const result = await run('127.0.0.1', port);
    expect(result).toMatchObject({ state: 'ok', message: `connected to 127.0.0.1:${port}` });
    expect(result.errorType).toBeUndefined();
    expect(result.duration).toBeGreaterThan(0);
    expect(result.duration).toBeLessThan(30);
  });

  it('is critical with connection_refused on a port nobody listens on', async () => {
    const closed = createServer();
    const free = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    expect(await run('127.0.0.1', free)).toMatchObject({ state: 'critical', errorType: 'connection_refused', message: 'connection refused' });
  });

  it('is critical with dns for a name that does not resolve', async () => {
    expect(await run('no-such-host.invalid', 80)).toMatchObject({ state: 'critical', errorType: 'dns' });
  });

  it('gives up at once when its signal aborts, as a timeout', async () => {
    const controller = new AbortController();
    const pending = run('127.0.0.1', port, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ state: 'critical', errorType: 'timeout' });
  });

  it('maps socket errors to the fixed vocabulary', () => {
    expect(['ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', undefined].map(tcpErrorType)).toEqual([
      'connection_reset',
      'connection_reset',
      'dns',
      'timeout',
      'network',
      'network',
    ]);
  });
});
