import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpCheck, tcpErrorType } from '../../../receivers/health_check/tcp/tcp-check.js';
import { refusedPort, startTcpServer, type TcpServer } from './servers.js';

let server: TcpServer;
let port: number;

beforeAll(async () => {
  server = await startTcpServer();
  port = server.port;
});
afterAll(() => server.close());

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
    expect(await run('127.0.0.1', await refusedPort())).toMatchObject({ state: 'critical', errorType: 'connection_refused', message: 'connection refused' });
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
      'network',
      'network',
      'network',
    ]);
  });
});
