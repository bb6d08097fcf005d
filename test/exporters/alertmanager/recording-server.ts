import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request the server took. */
export interface Recorded {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** When it arrived (ms since epoch). */
  readonly time: number;
  /** The status it was answered with. */
  status: number;
}

/**
 * A local HTTP server that records every request's JSON body. It answers `status` when set;
 * otherwise it forwards to `forwardTo` (a real Alertmanager) and answers what that answered,
 * or 502 when that is unreachable; otherwise 200. `down` answers 503 without forwarding.
 */
export class RecordingServer {
  readonly requests: Recorded[] = [];
  status: number | undefined;
  answer = '';
  down = false;
  forwardTo: string | undefined;
  url = '';
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        const recorded: Recorded = { path: request.url ?? '', headers: request.headers, body: text === '' ? undefined : JSON.parse(text), time: Date.now(), status: 0 };
        this.requests.push(recorded);
        void this.reply(recorded, text).then(({ status, body }) => {
          recorded.status = status;
          response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  /** Requests answered 2xx, in order. */
  accepted(): Recorded[] {
    return this.requests.filter((request) => request.status >= 200 && request.status < 300);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async reply(recorded: Recorded, text: string): Promise<{ status: number; body: string }> {
    if (this.down) return { status: 503, body: 'down' };
    if (this.status !== undefined) return { status: this.status, body: this.answer };
    if (this.forwardTo === undefined) return { status: 200, body: '' };
    try {
      const forwarded = await fetch(`${this.forwardTo}${recorded.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      return { status: forwarded.status, body: await forwarded.text() };
    } catch {
      return { status: 502, body: 'alertmanager unreachable' };
    }
  }
}

/** Polls `check` until it stops throwing; generous, for a loaded machine. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
