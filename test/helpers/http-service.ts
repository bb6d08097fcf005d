import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnFreePort } from './local-server.js';

/**
 * A local HTTP service for health checks to watch, on a free 127.0.0.1 port, whose answer
 * changes while a test runs: how long it takes, its status, or no answer at all.
 *
 *   const service = await startHttpService();
 *   // check `${service.url}/health`
 *   service.set({ latencyMs: 200 });          // slow
 *   service.set({ status: 503 });             // wrong
 *   service.set({ mode: 'hang' });            // never answers (the check's timeout cuts it)
 *   await service.stop();
 */

export interface ServiceBehaviour {
  /** Delay before the answer, ms. */
  readonly latencyMs: number;
  readonly status: number;
  /** `hang`: reads the request and never answers, keeping the socket open. */
  readonly mode: 'answer' | 'hang';
}

export interface RunningHttpService {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly requests: number;
  set(change: Partial<ServiceBehaviour>): void;
  readonly behaviour: ServiceBehaviour;
  /** Closes the listener and every open connection (hanging ones included). */
  stop(): Promise<void>;
}

export async function startHttpService(initial: Partial<ServiceBehaviour> = {}): Promise<RunningHttpService> {
  let behaviour: ServiceBehaviour = { latencyMs: 0, status: 200, mode: 'answer', ...initial };
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    // The behaviour when the request arrived decides its answer, as a real slow service would.
    const { latencyMs, status, mode } = behaviour;
    request.resume();
    if (mode === 'hang') return;
    const answer = (): void => {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 400 ? 'ok\n' : 'failing\n');
    };
    if (latencyMs <= 0) {
      answer();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, latencyMs);
    timers.add(timer);
  });
  const listening = await listenOnFreePort(server);
  const port = listening.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get behaviour() {
      return behaviour;
    },
    set(change) {
      behaviour = { ...behaviour, ...change };
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await listening.close();
    },
  };
}
