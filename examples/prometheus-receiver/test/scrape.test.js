import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScrapeError, scrape } from '../lib/scrape.js';

/** @type {string | undefined} */
let authorization;
const server = createServer((request, response) => {
  authorization = request.headers.authorization;
  if (request.url === '/silent') return; // never answers
  if (request.url === '/large') return void response.end('x 1\n'.repeat(1000));
  response.end('up 1\n');
});
let base = '';
beforeAll(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  base = `127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
});

const options = () => ({ timeoutMs: 5_000, maxBytes: 1024 * 1024, signal: new AbortController().signal });

describe('scrape', () => {
  it("sends a URL's user-info as Basic credentials, not in the URL", async () => {
    expect(await scrape(`http://shop:p%40ss@${base}/metrics`, options())).toBe('up 1\n');
    expect(authorization).toBe(`Basic ${Buffer.from('shop:p@ss').toString('base64')}`);
  });

  it('fails as a timeout when the answer does not come in time', async () => {
    const failure = await scrape(`http://${base}/silent`, { ...options(), timeoutMs: 100 }).catch((error) => error);
    expect(failure).toBeInstanceOf(ScrapeError);
    expect(failure).toMatchObject({ type: 'timeout', message: 'no whole answer within 100ms' });
  });

  it('fails, without reading it all, an exposition larger than max_body_size', async () => {
    const failure = await scrape(`http://${base}/large`, { ...options(), maxBytes: 1024 }).catch((error) => error);
    expect(failure).toMatchObject({ type: 'too_large' });
  });

  it('fails as a connection error when nothing listens', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (closed.address());
    await new Promise((resolve) => closed.close(() => resolve(undefined)));
    const failure = await scrape(`http://127.0.0.1:${port}/metrics`, options()).catch((error) => error);
    expect(failure).toMatchObject({ type: 'connection', message: 'ECONNREFUSED' });
  });
});
