import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { EVENT_TEXT_LIMITS, SecretMatcher, eventText, redactedUrl, takeBasicAuthorization } from '../../../src/index.js';

export type SdAnswer =
  | { readonly kind: 'list'; readonly body: string; readonly etag: string | undefined }
  | { readonly kind: 'not-modified' };

export interface SdClientOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly refreshSeconds: number;
}

/**
 * GETs one http_sd endpoint over a kept-alive connection of its own (closed by `close`).
 * Resolves with the list's text (2xx, JSON) or "not modified" (304); rejects with an Error
 * whose message shows the URL redacted and nothing of the headers or credentials.
 */
export class SdClient {
  /** The URL as logs and reasons may show it. */
  readonly shownUrl: string;
  private readonly target: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: HttpAgent;
  private readonly secrets: SecretMatcher;

  constructor(private readonly options: SdClientOptions) {
    this.shownUrl = redactedUrl(options.url);
    this.target = new URL(options.url);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'healthpipe',
      'x-prometheus-refresh-interval-seconds': String(options.refreshSeconds),
    };
    const authorization = takeBasicAuthorization(this.target);
    if (authorization !== undefined) headers['authorization'] = authorization;
    for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
    this.headers = headers;
    this.secrets = new SecretMatcher([...Object.values(options.headers), headers['authorization'] ?? '']);
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.agent = this.target.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  get(etag: string | undefined): Promise<SdAnswer> {
    const request = this.target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = etag === undefined ? this.headers : { ...this.headers, 'if-none-match': etag };
    return new Promise<SdAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: SdAnswer | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const outgoing = request(this.target, { method: 'GET', agent: this.agent, headers }, (response) => {
        this.answer(response).then(finish, (error: unknown) => finish(this.failure(error)));
      });
      // A real timer: what it bounds is real I/O.
      const timer = setTimeout(() => outgoing.destroy(new Error(`no complete answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      outgoing.on('error', (error) => finish(this.failure(error)));
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async answer(response: IncomingMessage): Promise<SdAnswer> {
    const status = response.statusCode ?? 0;
    if (status === 304) {
      response.resume();
      return { kind: 'not-modified' };
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw new Error(`HTTP ${status}`);
    }
    const type = response.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      response.resume();
      throw new Error(`the answer is ${type === '' ? 'without a content type' : `of type ${type}`}, not application/json`);
    }
    const body = await readAtMost(response, this.options.maxBytes);
    const etag = response.headers['etag'];
    return { kind: 'list', body, etag };
  }

  private failure(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`GET ${this.shownUrl}: ${eventText(message, EVENT_TEXT_LIMITS.message, this.secrets)}`);
  }
}

function readAtMost(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        response.destroy();
        reject(new Error(`the answer is larger than ${maxBytes} bytes (max_size)`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks, total).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}
