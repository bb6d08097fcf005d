import { createServer, type Server } from 'node:http';
import { closeServer, formatListenAddress, listenOn, type ListenAddress, type Logger } from '../../src/index.js';
import { dispatch, type Route } from './routes.js';

/** A client that sends its request slowly is cut off; a live-update stream, whose request is complete, is not. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The API's listener: from `start` (which rejects, naming the address, when it cannot bind)
 * to `close`, which ends every connection, kept-alive ones and open streams included, so the
 * agent stops promptly and a reload can bind the port again.
 */
export class ApiServer {
  private readonly server: Server;
  private listening = false;

  constructor(
    private readonly address: ListenAddress,
    routes: readonly Route[],
    private readonly logger: Logger,
  ) {
    this.server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (request, response) => {
      void dispatch(routes, request, response, logger, address.host);
    });
  }

  async start(): Promise<void> {
    await listenOn(this.server, this.address, (error) => this.logger.error('the HTTP API failed', { error }));
    this.listening = true;
    this.logger.info('serving the HTTP API and the status page', { url: `http://${formatListenAddress(this.address)}/` });
  }

  async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await closeServer(this.server);
  }
}
