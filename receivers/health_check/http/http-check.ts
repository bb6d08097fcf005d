import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import { FileReadError, SecretMatcher, basicCredentials, readBoundedFile } from '../../../src/index.js';
import type { Check, CheckResult } from '../check-result.js';
import { CheckAgents } from './agents.js';
import { bodyExpectations, type BodyExpectations } from './body-check.js';
import type { HttpCheckConfig } from './config.js';
import { exchange, type ExchangeOutcome } from './exchange.js';
import { parseExpectStatus, statusExpected, type StatusRanges } from './expect-status.js';
import { requestFailure } from './failure.js';
import { addPhases, type Phases } from './phases.js';

/** What an http check needs besides its own config. */
export interface HttpCheckEnvironment {
  /** Secrets of the target (header values, token, URL password) for cleaning messages. */
  readonly secrets: readonly string[];
  /**
   * The clock certificate expiry is measured against, in ms since the epoch: the receiver's
   * scheduler (`ctx.scheduler.now()`). `Date.now` when absent.
   */
  readonly now?: () => number;
}

const MAX_REDIRECTS = 10;
const SECONDS_PER_DAY = 86_400;
const CA_FILE_LIMITS = { maxBytes: 1024 ** 2, timeoutMs: 2_000, what: 'a CA file' } as const;
/** Methods that may be sent again when a kept connection turns out closed (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

interface Request {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** One configured HTTP(S) target: its agent, compiled expectations and secrets, made once. */
class HttpCheck implements Check {
  private readonly statuses: StatusRanges;
  private readonly expectations: BodyExpectations | undefined;
  private readonly redactor: SecretMatcher;
  private readonly now: () => number;
  private readonly first: Request;
  private agents: CheckAgents | undefined;

  constructor(
    private readonly config: HttpCheckConfig,
    environment: HttpCheckEnvironment,
  ) {
    const statuses = parseExpectStatus(config.expect_status);
    if (typeof statuses === 'string') throw new Error(`expect_status passed the schema and is not a status list: ${statuses}`);
    this.statuses = statuses;
    this.expectations = bodyExpectations(config);
    this.redactor = new SecretMatcher(environment.secrets);
    this.now = environment.now ?? Date.now;
    this.first = firstRequest(config);
    if (config.tls.ca_file === undefined) this.agents = new CheckAgents(config);
  }

  async run(signal: AbortSignal): Promise<CheckResult> {
    const started = performance.now();
    const result = await this.attempt(signal, started);
    const duration = (performance.now() - started) / 1000;
    const message = result.message === undefined ? undefined : this.redactor.redact(result.message);
    return { ...result, duration, ...(message === undefined ? {} : { message }) };
  }

  close(): void {
    this.agents?.destroy();
    if (this.config.tls.ca_file !== undefined) this.agents = undefined;
  }

  private async attempt(signal: AbortSignal, started: number): Promise<Omit<CheckResult, 'duration'>> {
    const agents = this.agents ?? (await this.loadAgents());
    if (!(agents instanceof CheckAgents)) return agents;
    if (signal.aborted) return aborted(signal.reason);
    let request = this.first;
    let phases: Phases = {};
    for (let hop = 0; ; hop++) {
      const outcome = await this.send(request, agents, signal, hop < MAX_REDIRECTS && this.config.follow_redirects);
      if (outcome.kind === 'aborted') return aborted(outcome.reason);
      if (outcome.kind === 'failed') return { state: 'critical', ...requestFailure(outcome.error) };
      phases = hop === 0 ? outcome.phases : addPhases(phases, outcome.phases);
      phases.total = (performance.now() - started) / 1000;
      if (outcome.kind === 'answer') return this.judge(outcome, phases);
      const next = redirected(request, outcome.status, outcome.location);
      if (next === undefined) {
        return { state: 'critical', errorType: 'protocol', message: `HTTP ${outcome.status} redirects to a URL that is not http or https`, httpStatus: outcome.status, phases };
      }
      request = next;
    }
  }

  /** One request; a kept connection the server closed meanwhile is retried once on a new one. */
  private async send(request: Request, agents: CheckAgents, signal: AbortSignal, followRedirect: boolean): Promise<ExchangeOutcome> {
    const { url, method, headers, body } = request;
    const readBody = this.expectations === undefined || method === 'HEAD' ? 0 : this.config.max_body;
    const send = (): Promise<ExchangeOutcome> =>
      exchange({ url, method, headers, body, agent: agents.for(url), signal, readBody, followRedirect });
    const outcome = await send();
    if (outcome.kind === 'failed' && outcome.staleConnection && IDEMPOTENT.has(request.method)) return send();
    return outcome;
  }

  private judge(answer: Extract<ExchangeOutcome, { kind: 'answer' }>, phases: Phases): Omit<CheckResult, 'duration'> {
    const { status } = answer;
    const certRemaining = answer.certificateExpiry === undefined ? undefined : (answer.certificateExpiry - this.now()) / 1000;
    const measured = { httpStatus: status, phases, ...(certRemaining === undefined ? {} : { certRemaining }) };
    if (!statusExpected(this.statuses, status)) {
      return { state: 'critical', errorType: 'unexpected_status', message: `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim(), ...measured };
    }
    const failed = this.expectations?.check(answer.body ?? '', answer.complete);
    if (failed !== undefined) return { state: 'critical', errorType: 'unexpected_body', message: failed, ...measured };
    const warningDays = this.config.tls.cert_warning_days;
    if (certRemaining !== undefined && warningDays > 0 && certRemaining < warningDays * SECONDS_PER_DAY) {
      return { state: 'warning', message: certificateNote(certRemaining), ...measured };
    }
    return { state: 'ok', ...measured };
  }

  /** Reads `tls.ca_file` (again after a failure, so a fixed file is picked up). */
  private async loadAgents(): Promise<CheckAgents | Omit<CheckResult, 'duration'>> {
    const path = this.config.tls.ca_file ?? '';
    try {
      this.agents = new CheckAgents(this.config, await readBoundedFile(path, CA_FILE_LIMITS));
      return this.agents;
    } catch (error) {
      const reason = error instanceof FileReadError ? error.reason : 'unreadable';
      return { state: 'critical', errorType: 'tls', message: `tls.ca_file cannot be read (${reason})` };
    }
  }
}

export function createHttpCheck(config: HttpCheckConfig, environment: HttpCheckEnvironment): Check {
  return new HttpCheck(config, environment);
}

function firstRequest(config: HttpCheckConfig): Request {
  const url = new URL(config.url);
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearer_token !== undefined) headers['Authorization'] = `Bearer ${config.bearer_token}`;
  else if (url.username !== '' || url.password !== '') headers['Authorization'] = `Basic ${basicCredentials(url)}`;
  url.username = '';
  url.password = '';
  if (config.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(config.body));
  return { url, method: config.method, headers, body: config.body };
}

/**
 * The request a redirect asks for, as browsers and `fetch` make it: 303 (and 301/302 after a
 * POST) becomes a GET without body; another origin gets none of the configured headers or
 * credentials. Undefined when the Location is not an http(s) URL.
 */
function redirected(previous: Request, status: number, location: string): Request | undefined {
  const url = URL.canParse(location, previous.url.href) ? new URL(location, previous.url) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  const toGet = (status === 303 && previous.method !== 'HEAD') || ((status === 301 || status === 302) && previous.method === 'POST');
  const sameOrigin = url.origin === previous.url.origin;
  const headers = sameOrigin ? { ...previous.headers } : {};
  if (toGet) delete headers['Content-Length'];
  url.username = '';
  url.password = '';
  return { url, method: toGet ? 'GET' : previous.method, headers, body: toGet ? undefined : previous.body };
}

function aborted(reason: unknown): Omit<CheckResult, 'duration'> {
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return { state: 'critical', errorType: 'timeout', message: timedOut ? 'no answer within the timeout' : 'check cancelled' };
}

function certificateNote(remaining: number): string {
  const days = Math.abs(remaining) / SECONDS_PER_DAY;
  const shown = days < 1 ? `${Math.round(days * 24)} hours` : `${Math.floor(days)} days`;
  return remaining < 0 ? `certificate expired ${shown} ago` : `certificate expires in ${shown}`;
}
