import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { phasesOf, type PhaseMarks, type Phases } from './phases.js';

/** One request and its answer: what the check asks of `node:http(s)`. */
export interface ExchangeRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly agent: http.Agent;
  readonly signal: AbortSignal;
  /** Read at most this many bytes of the body; 0: discard it unread. */
  readonly readBody: number;
  /** A redirect status with a Location is answered as a redirect, its body discarded. */
  readonly followRedirect: boolean;
}

export type ExchangeOutcome =
  | {
      readonly kind: 'answer';
      readonly status: number;
      /** The body's first `readBody` bytes, when asked for. */
      readonly body?: string;
      /** False when the body was longer than `readBody` and cut there. */
      readonly complete: boolean;
      readonly phases: Phases;
      /** When the peer certificate expires (ms since the epoch), on https. */
      readonly certificateExpiry?: number;
    }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly phases: Phases }
  | {
      readonly kind: 'failed';
      readonly error: unknown;
      /** A kept connection the server had closed: the request never reached it and may be sent again. */
      readonly staleConnection: boolean;
    }
  | { readonly kind: 'aborted'; readonly reason: unknown };

/** A body the peer stopped sending before its end. */
const CUT_SHORT = Object.assign(new Error('the answer ended early'), { code: 'ECONNRESET' });

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The expiry of a connection's certificate, read once per connection. */
const expiryBySocket = new WeakMap<object, number | undefined>();

/**
 * Sends one request and reads its answer as far as needed, timing the phases from the
 * socket's events. Never rejects: every outcome is a value. On abort the request and its
 * socket are destroyed at once.
 */
export function exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
  const { url, signal } = request;
  return new Promise((resolve) => {
    const marks: PhaseMarks = { start: performance.now() };
    let settled = false;
    let answered = false;
    const client = url.protocol === 'https:' ? https : http;
    let req: http.ClientRequest;
    try {
      req = client.request({
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        agent: request.agent,
      });
    } catch (error) {
      // A request Node refuses to send (a header it will not write): a failure like any other.
      return resolve({ kind: 'failed', error, staleConnection: false });
    }
    const settle = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => {
      settle({ kind: 'aborted', reason: signal.reason });
      req.destroy();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    req.once('socket', (socket) => {
      if (req.reusedSocket) return;
      socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => (marks.connect = performance.now()));
      socket.once('secureConnect', () => (marks.secure = performance.now()));
    });
    req.once('error', (error) => settle({ kind: 'failed', error, staleConnection: req.reusedSocket && !answered }));
    req.once('response', (res) => {
      answered = true;
      marks.response = performance.now();
      const status = res.statusCode ?? 0;
      const certificateExpiry = expiryOf(res.socket);
      res.once('error', (error) => settle({ kind: 'failed', error, staleConnection: false }));
      // A body cut short by the peer (after 'end', this settles nothing).
      res.once('close', () => settle({ kind: 'failed', error: CUT_SHORT, staleConnection: false }));
      const location = res.headers.location;
      if (request.followRedirect && REDIRECTS.has(status) && location !== undefined) {
        res.once('end', () => settle({ kind: 'redirect', status, location, phases: ended(marks) }));
        res.resume();
        return;
      }
      if (request.readBody === 0) {
        res.once('end', () => settle({ kind: 'answer', status, complete: true, phases: ended(marks), certificateExpiry }));
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length <= request.readBody) return;
        // Past the bound: what is needed is read; the rest is not worth a connection's worth of bytes.
        const body = Buffer.concat(chunks, length).subarray(0, request.readBody).toString('utf8');
        settle({ kind: 'answer', status, body, complete: false, phases: ended(marks), certificateExpiry });
        res.destroy();
      });
      res.once('end', () => {
        const body = Buffer.concat(chunks, length).toString('utf8');
        settle({ kind: 'answer', status, body, complete: true, phases: ended(marks), certificateExpiry });
      });
    });
    req.end(request.body);
  });
}

function ended(marks: PhaseMarks): Phases {
  marks.end = performance.now();
  return phasesOf(marks);
}

function expiryOf(socket: unknown): number | undefined {
  const tls = socket as Partial<TLSSocket> | null;
  if (tls === null || typeof tls.getPeerCertificate !== 'function') return undefined;
  if (expiryBySocket.has(tls)) return expiryBySocket.get(tls);
  const validTo = tls.getPeerCertificate().valid_to;
  const expiry = typeof validTo === 'string' ? Date.parse(validTo) : Number.NaN;
  const known = Number.isFinite(expiry) ? expiry : undefined;
  expiryBySocket.set(tls, known);
  return known;
}
