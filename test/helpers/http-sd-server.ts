import { createServer } from 'node:http';
import { listenOnFreePort, type ListeningServer } from './local-server.js';

/**
 * A Prometheus http_sd endpoint on a free 127.0.0.1 port, for the registry's `http_sd`
 * source: it answers the target groups the test sets, and can go down (its port refuses
 * connections) and come back on the same port.
 *
 *   const sd = await startHttpSdServer();
 *   sd.set([{ targets: ['127.0.0.1:8080'], labels: { service: 'api' } }]);
 *   await sd.down(); … await sd.up();
 *   await sd.stop();
 */

export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels?: Record<string, string>;
}

export interface HttpSdServer {
  /** The endpoint's URL (http://127.0.0.1:PORT/sd). */
  readonly url: string;
  /** Requests answered so far. */
  readonly requests: number;
  set(groups: readonly TargetGroup[]): void;
  /** Stops listening: connections to its port are refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHttpSdServer(): Promise<HttpSdServer> {
  let groups: readonly TargetGroup[] = [];
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(groups));
  });
  let listening: ListeningServer | undefined = await listenOnFreePort(server);
  const port = listening.port;

  return {
    url: `http://127.0.0.1:${port}/sd`,
    get requests() {
      return requests;
    },
    set(next) {
      groups = next;
    },
    async down() {
      await listening?.close();
      listening = undefined;
    },
    async up() {
      if (listening !== undefined) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = {
        port,
        close: () => new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
      };
    },
    async stop() {
      await listening?.close();
      listening = undefined;
    },
  };
}
