import { z } from 'zod';
import { secret } from '../config/schema-secrets.js';
import { duration } from '../config/units.js';

/** An http:// or https:// URL; the problem never repeats what was written (it may hold a password). */
export function httpUrl() {
  return z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
}

/** Headers sent with every request: names as HTTP allows them, values secret (never logged). */
export function httpHeaders() {
  return z
    .record(
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name'),
      // A line break would end the header early (and Node refuses it on every attempt).
      secret(z.string().regex(/^[^\0\r\n]*$/, 'a header value cannot hold a line break or NUL')),
    )
    .default({});
}

/**
 * The settings every HTTP alert sink shares (`alertmanager`, `webhook`): how to reach the
 * endpoint and how long to wait, retry and hold. Spread into a sink's schema.
 */
export const httpSinkFields = {
  headers: httpHeaders().describe('Headers sent with every request (an `authorization`, an API key). Their values are secrets: never logged.'),
  bearer_token: secret()
    .optional()
    .describe('Sent as `authorization: Bearer <token>`, unless `headers` sets `authorization`. Never logged.'),
  timeout: duration({ min: '100ms', max: '5m', maxReason: 'a request held longer holds every alert of its fingerprint behind it' })
    .prefault('10s')
    .describe('The whole request, from connecting to the last byte of the answer; past it the request is retried.'),
  retry_max_interval: duration({ min: '100ms', max: '1h', maxReason: 'an alert waiting longer between attempts is late for no reason' })
    .prefault('5s')
    .describe(
      'Longest wait between two attempts to deliver (exponential backoff from 100ms). Alerts are retried until accepted; only a 4xx other than 408 and 429 drops them, counted and logged.',
    ),
  forget_after: duration({ min: '1m' })
    .prefault('7d')
    .describe(
      'A firing alert that no event has renewed for this long is forgotten: a later level change no longer resolves it first, and `alertmanager` no longer re-sends it. The bound on what a series that went away without a resolve leaves behind.',
    ),
} as const;

/** Most firing alerts a sink remembers; beyond, the least recently renewed are forgotten. */
export const MAX_DELIVERED_ALERTS = 10_000;
