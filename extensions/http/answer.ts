import type { ServerResponse } from 'node:http';

/** Reasons and echoed request parts are cut to this length: an answer never grows with the request. */
const MAX_REASON = 300;

/**
 * A request the API refuses, with the status and a reason for the client. Reasons are written
 * here, from the request's shape, never from a configuration value, so no secret can be in one.
 */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 503,
    reason: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(bounded(reason));
  }
}

export function bounded(text: string, limit = MAX_REASON): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A part of the request quoted in a reason: bounded, quotes and control characters escaped. */
export function quoted(text: string): string {
  return JSON.stringify(bounded(text, 80));
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendRefusal(response: ServerResponse, refusal: Refusal): void {
  for (const [name, value] of Object.entries(refusal.headers)) response.setHeader(name, value);
  sendJson(response, refusal.status, { error: refusal.message });
}

export function sendHtml(response: ServerResponse, html: string): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // Everything the page needs is inline; nothing may be loaded from elsewhere.
    'content-security-policy':
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  response.end(html);
}
