import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SecretMatcher, takeBasicAuthorization, urlCredentials } from '../config/secrets.js';
import { DeliveryFailure } from '../delivery/verdict.js';
import { answerOf, httpVerdict } from '../delivery/http.js';
import { EVENT_TEXT_LIMITS, eventText } from '../model/event-text.js';
import { redactedUrl } from './redacted-url.js';

export interface JsonPostOptions {
  /** Where to POST; user-info becomes a Basic `authorization` header (fetch and Node refuse it in the URL). */
  readonly url: string;
  /** Sent with every request; their values are secrets. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `authorization: Bearer …` unless `headers` sets `authorization`. */
  readonly bearerToken?: string;
  /** The whole request, connection to last byte of the answer, in ms. */
  readonly timeout: number;
}

/** How much of a refusal's body goes into its reason: Alertmanager says there what was wrong. */
const REASON_BODY = 200;

/**
 * POSTs JSON to one HTTP endpoint over a kept-alive connection of its own (closed by
 * `close`, so a stopped sink leaves no socket behind), and turns the answer into what a
 * DeliveryQueue understands: resolves on 2xx, throws a DeliveryFailure otherwise
 * (`httpVerdict`: 408, 429 and 5xx retryable, other 4xx permanent). Secrets — the URL's
 * user-info, header values, the token — appear in no error it throws: the URL is shown
 * redacted, and every other text is cleaned of them.
 */
export class JsonPoster {
  /** The URL as logs and errors may show it. */
  readonly shownUrl: string;
  private readonly target: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: HttpAgent;
  private readonly secrets: SecretMatcher;

  constructor(private readonly options: JsonPostOptions) {
    this.shownUrl = redactedUrl(options.url);
    this.target = new URL(options.url);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'healthpipe' };
    const authorization = takeBasicAuthorization(this.target);
    if (authorization !== undefined) headers['authorization'] = authorization;
    if (options.bearerToken !== undefined) headers['authorization'] = `Bearer ${options.bearerToken}`;
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    this.headers = headers;
    this.secrets = new SecretMatcher([
      ...urlCredentials(options.url),
      ...Object.values(options.headers ?? {}),
      ...(options.bearerToken === undefined ? [] : [options.bearerToken]),
    ]);
    const agentOptions = { keepAlive: true, maxSockets: 4 };
    this.agent = this.target.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** Resolves when the endpoint accepted `body` (2xx); `now` dates a Retry-After given as a date. */
  post(body: unknown, now: () => number): Promise<void> {
    const text = JSON.stringify(body);
    const request = this.target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const outgoing = request(
        this.target,
        { method: 'POST', agent: this.agent, headers: { ...this.headers, 'content-length': Buffer.byteLength(text) } },
        (response) => {
          readSome(response, REASON_BODY).then(
            (start) => finish(this.refusal(response, start, now())),
            (error: unknown) => finish(this.failure(error)),
          );
        },
      );
      // A real timer: what it bounds is real I/O.
      const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${this.options.timeout} ms`)), this.options.timeout);
      outgoing.on('error', (error) => finish(this.failure(error)));
      outgoing.end(text);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Undefined when accepted; else the DeliveryFailure, its reason naming the redacted URL and the start of the answer. */
  private refusal(response: IncomingMessage, start: string, now: number): DeliveryFailure | undefined {
    const answer = answerOf(response);
    const verdict = httpVerdict(answer, now);
    if (verdict === undefined) return undefined;
    const said = this.clean(start);
    const reason = `${verdict.reason} from ${this.shownUrl}${said === '' ? '' : `: ${said}`}`;
    return new DeliveryFailure({ ...verdict, reason });
  }

  /** A network error or timeout: retryable, its text cleaned of secrets. */
  private failure(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`POST ${this.shownUrl}: ${this.clean(message)}`);
  }

  private clean(text: string): string {
    return eventText(text, EVENT_TEXT_LIMITS.message, this.secrets);
  }
}

/** The first `limit` characters of an answer's body; the rest is read and dropped, so the connection can be reused. */
function readSome(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let start = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (start.length < limit) start += chunk.slice(0, limit - start.length);
    });
    response.on('end', () => resolve(start));
    response.on('error', reject);
  });
}

/**
 * How an HTTP sink POSTs: the function a test injects (virtual time, no socket), or a
 * JsonPoster of its own, returned so the sink logs its redacted URL and closes it at shutdown.
 */
export function sinkSender<T>(
  options: JsonPostOptions,
  now: () => number,
  inject: ((body: T) => Promise<void>) | undefined,
): { send: (body: T) => Promise<void>; poster: JsonPoster | undefined } {
  if (inject !== undefined) return { send: inject, poster: undefined };
  const poster = new JsonPoster(options);
  return { send: (body) => poster.post(body, now), poster };
}
