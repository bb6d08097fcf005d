import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { Refusal, quoted } from './answer.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  return LOOPBACK_NAMES.has(host) || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/**
 * Refuses a request to a loopback listener whose `Host` is not a loopback name: a web page
 * the operator visits could otherwise point a name of its own at 127.0.0.1 (DNS rebinding)
 * and read the API from the browser. A listener bound elsewhere was opened on purpose and is
 * reached by whatever names the machine has, so it takes any host.
 */
export function checkHost(request: IncomingMessage, listenHost: string): void {
  if (!isLoopback(listenHost)) return;
  const header = request.headers.host ?? '';
  const name = header.replace(/:\d+$/, '').toLowerCase();
  if (!isLoopback(name)) throw new Refusal(400, `this API answers requests to its loopback address only, not to host ${quoted(header)}`);
}
