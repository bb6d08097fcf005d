import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonPoster } from '../../src/alerts/index.js';
import { DeliveryFailure } from '../../src/delivery/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local server answering each request with `handle`; its URL. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

describe('JsonPoster', () => {
  it('gives up on an endpoint that never answers after its timeout, with a retryable error', async () => {
    const url = await serve(() => undefined);
    const poster = new JsonPoster({ url, timeout: 200 });
    const error = await poster.post([{}], () => Date.now()).catch((caught: unknown) => caught);
    poster.close();
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DeliveryFailure);
    expect((error as Error).message).toBe(`POST ${url}/: no answer within 200 ms`);
  });

  it("turns a 429 into a retryable failure honouring Retry-After, and a 404 into a permanent one", async () => {
    let status = 429;
    const url = await serve((_request, response) => response.writeHead(status, { 'retry-after': '7' }).end('slow down'));
    const poster = new JsonPoster({ url, timeout: 5_000 });
    const busy = await poster.post([], () => 0).catch((caught: unknown) => caught);
    expect((busy as DeliveryFailure).verdict).toEqual({ retryable: true, retryAfter: 7_000, reason: `HTTP 429 from ${url}/: slow down` });
    status = 404;
    const missing = await poster.post([], () => 0).catch((caught: unknown) => caught);
    expect((missing as DeliveryFailure).verdict).toEqual({ retryable: false, reason: `HTTP 404 from ${url}/: slow down` });
    poster.close();
  });

  it("sends the URL's user-info as Basic credentials, decoded, and keeps a malformed escape as written", async () => {
    let authorization: string | undefined;
    const url = await serve((request, response) => {
      authorization = request.headers['authorization'];
      response.writeHead(200).end();
    });
    const poster = new JsonPoster({ url: url.replace('http://', 'http://am%20user:p%zz@'), timeout: 5_000 });
    await poster.post([], () => 0);
    poster.close();
    expect(authorization).toBe(`Basic ${Buffer.from('am user:p%zz').toString('base64')}`);
  });

  it('sends the JSON body with its length and type, and resolves on 2xx', async () => {
    let received = '';
    let type: string | undefined;
    const url = await serve((request, response) => {
      type = request.headers['content-type'];
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (received += chunk));
      request.on('end', () => response.writeHead(202).end());
    });
    const poster = new JsonPoster({ url, timeout: 5_000 });
    await poster.post([{ labels: { a: 'ü' } }], () => 0);
    poster.close();
    expect(type).toBe('application/json');
    expect(JSON.parse(received)).toEqual([{ labels: { a: 'ü' } }]);
  });
});
