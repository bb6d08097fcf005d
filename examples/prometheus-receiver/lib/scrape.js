import { basicCredentials } from 'healthpipe';

// One GET of the endpoint, bounded in time and size.

const ACCEPT = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

export class ScrapeError extends Error {
  /** @param {'timeout' | 'connection' | 'http_status' | 'too_large' | 'parse'} type @param {string} message */
  constructor(type, message) {
    super(message);
    this.name = 'ScrapeError';
    /** A bounded word, for logs and the failed point's message. */
    this.type = type;
  }
}

/**
 * The exposition's text. Rejects with a ScrapeError; `signal` aborts it (the receiver
 * unsubscribed), and so does `timeoutMs` of real time (this is I/O, not the agent's clock).
 * @param {string} endpoint @param {{ timeoutMs: number, maxBytes: number, signal: AbortSignal }} options
 * @returns {Promise<string>}
 */
export async function scrape(endpoint, { timeoutMs, maxBytes, signal }) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  // fetch refuses a URL with user-info: it goes as a Basic Authorization header instead.
  const url = new URL(endpoint);
  /** @type {Record<string, string>} */
  const headers = { accept: ACCEPT };
  if (url.username !== '' || url.password !== '') {
    headers.authorization = `Basic ${basicCredentials(url)}`;
    url.username = '';
    url.password = '';
  }
  try {
    const response = await fetch(url, { headers, signal: both, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ScrapeError('http_status', `the endpoint answered ${response.status}`);
    }
    return await boundedText(response, maxBytes);
  } catch (error) {
    if (error instanceof ScrapeError) throw error;
    if (timeout.aborted) throw new ScrapeError('timeout', `no whole answer within ${timeoutMs}ms`);
    if (signal.aborted) throw error;
    // fetch says only "fetch failed"; what failed is in its cause (ECONNREFUSED, bad port, …).
    const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
    throw new ScrapeError('connection', cause?.code ?? cause?.message ?? /** @type {Error} */ (error).message);
  }
}

/** @param {Response} response @param {number} maxBytes */
async function boundedText(response, maxBytes) {
  if (response.body === null) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    // Leaving the loop by a throw cancels the body: the rest is never read.
    if (bytes > maxBytes) throw new ScrapeError('too_large', `the exposition is larger than ${maxBytes} bytes (max_body_size)`);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
