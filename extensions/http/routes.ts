import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/index.js';
import { Refusal, quoted, sendJson, sendRefusal } from './answer.js';
import { checkHost } from './host-check.js';

export interface ApiRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The decoded captures of the route's pattern (`/health/SERVICE` → [SERVICE]). */
  readonly captures: readonly string[];
}

export type Handler = (request: ApiRequest) => void | Promise<void>;

export type Method = 'GET' | 'POST' | 'DELETE';

export interface Route {
  /** Matched against the whole raw path; captures are percent-decoded before the handler sees them. */
  readonly path: RegExp;
  readonly methods: Partial<Record<Method, Handler>>;
}

/**
 * Finds the route of a request and runs it: an unknown path is 404, a method the path does
 * not take 405 with `Allow`, a Refusal its status and reason; anything else is a bug, logged
 * and answered 500 without its details.
 */
export async function dispatch(
  routes: readonly Route[],
  request: IncomingMessage,
  response: ServerResponse,
  logger: Logger,
  listenHost = '127.0.0.1',
): Promise<void> {
  try {
    checkHost(request, listenHost);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const found = routes
      .map((route) => ({ route, match: route.path.exec(url.pathname) }))
      .find(({ match }) => match !== null);
    if (found === undefined) throw new Refusal(404, `no such path: ${quoted(url.pathname)}`);
    const method = request.method === 'HEAD' ? 'GET' : (request.method as Method);
    const handler = found.route.methods[method];
    if (handler === undefined) {
      const allowed = Object.keys(found.route.methods).flatMap((name) => (name === 'GET' ? ['GET', 'HEAD'] : [name]));
      throw new Refusal(405, `method ${quoted(request.method ?? '')} not allowed here; allowed: ${allowed.join(', ')}`, {
        allow: allowed.join(', '),
      });
    }
    const captures = found.match!.slice(1).map((part) => decodePathPart(part ?? ''));
    await handler({ request, response, url, captures });
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof Refusal) {
      sendRefusal(response, error);
      return;
    }
    logger.error('a request could not be answered', { error });
    sendJson(response, 500, { error: 'internal error: see the agent log' });
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Refusal(400, `malformed percent-encoding in the path: ${quoted(part)}`);
  }
}
