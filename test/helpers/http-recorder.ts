import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { listenOnFreePort } from './local-server.js';

/**
 * A local HTTP endpoint on a free 127.0.0.1 port that records every request it gets, in
 * order: a webhook receiver (it answers itself), or a recording hop in front of a real
 * server (`upstream`: it forwards each request and records the upstream's answer). The hop
 * shows what a real Alertmanager accepted, in which order, which its API cannot (it never
 * lists a resolved alert). While the upstream is down, the hop resets the connection, as
 * the upstream's closed port would.
 *
 *   const hop = await startHttpRecorder({ upstream: am.url });
 *   // point the agent's alertmanager sink at hop.url
 *   hop.accepted('/api/v2/alerts')            // what Alertmanager answered 2xx to
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The status answered; 0 when the connection was reset (upstream down). */
  readonly status: number;
  /** performance.now() when the answer was sent (for an upstream: when its answer came back). */
  readonly answeredAt: number;
  /** The wall clock (ms) at the same moment, to compare with times inside the bodies. */
  readonly answeredWallMs: number;
}

export interface HttpRecorderOptions {
  /** Forward every request here (http://host:port) and answer what it answers. */
  readonly upstream?: string;
  /** Without upstream: the status answered (default 200); `set` changes it. */
  readonly status?: number;
}

export interface RunningHttpRecorder {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests to `path` (exact, without query) answered 2xx, in the order they were answered. */
  accepted(path?: string): RecordedRequest[];
  /** Without upstream: the status to answer from now on. */
  setStatus(status: number): void;
  /** Called with each request once it has been answered. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  stop(): Promise<void>;
}

const UPSTREAM_TIMEOUT_MS = 10_000;

export async function startHttpRecorder(options: HttpRecorderOptions = {}): Promise<RunningHttpRecorder> {
  const requests: RecordedRequest[] = [];
  const listeners = new Set<(request: RecordedRequest) => void>();
  let status = options.status ?? 200;

  const record = (request: IncomingMessage, body: string, answered: number): void => {
    const entry: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body,
      status: answered,
      answeredAt: performance.now(),
      answeredWallMs: Date.now(),
    };
    requests.push(entry);
    for (const listener of listeners) listener(entry);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (options.upstream === undefined) {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 300 ? 'ok\n' : 'refused\n');
      record(request, body, status);
      return;
    }
    let answer: Response;
    try {
      answer = await fetch(`${options.upstream}${request.url ?? '/'}`, {
        method: request.method,
        headers: forwardedHeaders(request),
        ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }),
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      record(request, body, 0);
      response.destroy();
      return;
    }
    const text = await answer.text();
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    response.end(text);
    record(request, body, answer.status);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  const listening = await listenOnFreePort(server);

  return {
    url: `http://127.0.0.1:${listening.port}`,
    requests,
    accepted(path) {
      return requests.filter(
        (entry) => entry.status >= 200 && entry.status < 300 && (path === undefined || entry.path.split('?')[0] === path),
      );
    },
    setStatus(next) {
      status = next;
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => listening.close(),
  };
}

/** The request's headers minus those that describe this hop's connection. */
function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
