import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, formatListenAddress, listenOn, type ListenAddress, type Logger } from '../../src/index.js';
import { CONTENT_TYPE } from './exposition.js';

/**
 * The scrape endpoint: GET (and HEAD) of `path` answers `render()`; any other path 404, any
 * other method 405. Listens from `start` (which rejects, naming the address, when it cannot)
 * to `close`, which also ends kept-alive connections so a reload can bind the port again.
 */
export class ScrapeServer {
  private readonly server: Server;
  private listening = false;

  constructor(
    private readonly address: ListenAddress,
    private readonly path: string,
    private readonly render: () => string,
    private readonly logger: Logger,
  ) {
    this.server = createServer((request, response) => this.answer(request, response));
  }

  async start(): Promise<void> {
    await listenOn(this.server, this.address, (error) => this.logger.error('the scrape endpoint failed', { error }));
    this.listening = true;
    this.logger.info('serving metrics for Prometheus', { url: `http://${formatListenAddress(this.address)}${this.path}` });
  }

  async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await closeServer(this.server);
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== this.path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    let body: string;
    try {
      body = this.render();
    } catch (error) {
      this.logger.error('a scrape could not be answered', { error });
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error\n');
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}
