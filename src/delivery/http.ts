import type { IncomingMessage } from 'node:http';
import { DeliveryFailure, type Verdict } from './verdict.js';

/** The part of a fetch Response (or of node:http's answer, adapted) the classifier reads. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/**
 * Retry-After as a wait in ms from `now`: either delay-seconds or an HTTP date. Anything
 * else is ignored (the backoff applies), as is a date in the past.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The verdict on an HTTP answer, or undefined when it was accepted (2xx). 408, 429 (with
 * Retry-After honoured) and 5xx are retryable; every other status is permanent: the
 * destination understood the request and will refuse it again. A 3xx lands here only when
 * redirects are not followed, and repeating it will not help either.
 */
export function httpVerdict(answer: HttpAnswer, now: number): Verdict | undefined {
  const { status } = answer;
  if (status >= 200 && status < 300) return undefined;
  const reason = `HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), now);
    return retryAfter === undefined ? { retryable: true, reason } : { retryable: true, retryAfter, reason };
  }
  return { retryable: false, reason };
}

/**
 * For a `send` built on fetch: returns on 2xx, throws the DeliveryFailure the queue
 * understands otherwise. Network errors and timeouts need nothing: whatever fetch throws is
 * retryable by default.
 */
export function checkHttpAnswer(answer: HttpAnswer, now: number): void {
  const verdict = httpVerdict(answer, now);
  if (verdict !== undefined) throw new DeliveryFailure(verdict);
}

/** node:http's answer as the classifier reads it. */
export function answerOf(response: IncomingMessage): HttpAnswer {
  return { status: response.statusCode ?? 0, headers: { get: (name) => headerOf(response, name) } };
}

/** A header of node:http's answer; a repeated one joined with `, ` as fetch joins it. */
export function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
