import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import {
  DeliveryFailure,
  answerOf,
  headerOf,
  EVENT_TEXT_LIMITS,
  SecretMatcher,
  eventText,
  httpVerdict,
  redactedUrl,
  takeBasicAuthorization,
  urlCredentials,
} from '../../src/index.js';
import type { DeliveryReceipt } from '../../src/index.js';
import type { EncodedRequest } from './encode/index.js';
import { readPartialSuccess } from './partial-success.js';
import type { OtlpSettings } from './settings.js';

const gzipAsync = promisify(gzip);

/** How much of an answer is read: a partial success or an error status is small; the rest is drained unread. */
const ANSWER_LIMIT = 64 * 1024;

/** What a partial success is logged with; the exporter decides how. */
export type PartialSuccessReport = (rejected: number, message: string) => void;

/**
 * POSTs OTLP/HTTP requests to one URL over kept-alive connections of its own (closed by
 * `close`), gzipped unless told not to, and turns the answer into what the DeliveryQueue
 * understands: a 2xx resolves (with a receipt when the body reports a partial success),
 * anything else throws a DeliveryFailure by `httpVerdict` (408, 429, 5xx retryable with
 * Retry-After; other statuses permanent); a network error or timeout rejects, retryable.
 * Secrets (user-info, header values) appear in no error: the URL is shown redacted and
 * every text taken from the answer is cleaned of them.
 */
export class OtlpHttpSender {
  readonly shownUrl: string;
  private readonly target: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: HttpAgent;
  private readonly secrets: SecretMatcher;

  constructor(private readonly settings: OtlpSettings) {
    this.shownUrl = redactedUrl(settings.url);
    this.target = new URL(settings.url);
    const headers: Record<string, string> = { 'user-agent': 'healthpipe' };
    const authorization = takeBasicAuthorization(this.target);
    if (authorization !== undefined) headers['authorization'] = authorization;
    Object.assign(headers, settings.headers);
    if (settings.compression === 'gzip') headers['content-encoding'] = 'gzip';
    this.headers = headers;
    this.secrets = new SecretMatcher([...urlCredentials(settings.url), ...Object.values(settings.headers)]);
    const agentOptions = { keepAlive: true, maxSockets: 2 };
    this.agent = this.target.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** Resolves when the receiver accepted the request; `now` dates a Retry-After given as a date. */
  async send(request: EncodedRequest, now: () => number, onPartial: PartialSuccessReport): Promise<void | DeliveryReceipt> {
    const body =
      this.settings.compression === 'gzip' ? await gzipAsync(request.body, { level: constants.Z_BEST_SPEED }) : Buffer.from(request.body);
    const { response, answer } = await this.post(body, request.contentType);
    const status = answerOf(response);
    const verdict = httpVerdict(status, now());
    if (verdict !== undefined) {
      const said = this.clean(answer.toString('utf8'));
      throw new DeliveryFailure({ ...verdict, reason: `${verdict.reason} from ${this.shownUrl}${said === '' ? '' : `: ${said}`}` });
    }
    const partial = readPartialSuccess(answer, headerOf(response, 'content-type') ?? undefined);
    if (partial === undefined) return undefined;
    onPartial(partial.rejectedDataPoints, this.clean(partial.errorMessage));
    return partial.rejectedDataPoints > 0 ? { rejected: Math.min(partial.rejectedDataPoints, request.points), reason: 'partial_success' } : undefined;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private post(body: Buffer, contentType: string): Promise<{ response: IncomingMessage; answer: Buffer }> {
    const request = this.target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: { response: IncomingMessage; answer: Buffer } | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const outgoing = request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-type': contentType, 'content-length': body.length },
        },
        (response) => {
          readLimited(response, ANSWER_LIMIT).then(
            (answer) => finish({ response, answer }),
            (error: unknown) => finish(this.failure(error)),
          );
        },
      );
      // A real timer: what it bounds is real I/O.
      const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${this.settings.timeout} ms`)), this.settings.timeout);
      outgoing.on('error', (error) => finish(this.failure(error)));
      outgoing.end(body);
    });
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

/** The first `limit` bytes of an answer; the rest is read and dropped, so the connection can be reused. */
function readLimited(response: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      if (length >= limit) return;
      const part = chunk.subarray(0, limit - length);
      chunks.push(part);
      length += part.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
  });
}
