import { describe, expect, it } from 'vitest';
import { DeliveryFailure, checkHttpAnswer, classifyError, httpVerdict, parseRetryAfter } from '../../src/delivery/index.js';

const answer = (status: number, retryAfter: string | null = null) => ({ status, headers: { get: () => retryAfter } });
const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('HTTP classifier', () => {
  it('accepts 2xx', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(httpVerdict(answer(status), NOW)).toBeUndefined();
    expect(() => checkHttpAnswer(answer(200), NOW)).not.toThrow();
  });

  it('gives up on a 4xx other than 408 and 429, and on a redirect it was not told to follow', () => {
    for (const status of [400, 401, 403, 404, 410, 413, 422, 301]) {
      expect(httpVerdict(answer(status), NOW)).toEqual({ retryable: false, reason: `HTTP ${status}` });
    }
  });

  it('retries 408, 429 and 5xx, with Retry-After in seconds or as a date', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(httpVerdict(answer(status), NOW)?.retryable).toBe(true);
    expect(httpVerdict(answer(429, '7'), NOW)).toEqual({ retryable: true, retryAfter: 7000, reason: 'HTTP 429' });
    expect(httpVerdict(answer(503, 'Sun, 29 Nov 2026 12:00:30 GMT'), NOW)).toMatchObject({ retryAfter: 30_000 });
  });

  it('ignores a Retry-After it cannot read, and a date in the past waits no longer than the backoff', () => {
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('throws a DeliveryFailure the queue understands; other errors (network, timeout) are retryable', () => {
    expect(() => checkHttpAnswer(answer(404), NOW)).toThrow(DeliveryFailure);
    const error = (() => {
      try {
        checkHttpAnswer(answer(404), NOW);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(classifyError(error)).toEqual({ retryable: false, reason: 'HTTP 404' });
    expect(classifyError(new TypeError('fetch failed'))).toMatchObject({ retryable: true });
    expect(classifyError(new DOMException('The operation timed out', 'TimeoutError'))).toMatchObject({ retryable: true });
  });
});
