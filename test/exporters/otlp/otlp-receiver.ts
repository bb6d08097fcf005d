import { createServer, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listenOnFreePort } from '../../helpers/local-server.js';
import { decodeJson, decodeProtobuf, type DecodedResource } from './encode/otlp-decode.js';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as it came over the wire. */
  readonly raw: Buffer;
  /** The body after undoing `content-encoding: gzip`. */
  readonly body: Buffer;
  readonly status: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/**
 * A local OTLP/HTTP receiver on a free 127.0.0.1 port: records every request, gunzips and
 * decodes bodies (protobuf or JSON, by content type, with the encoder tests' own reader),
 * and answers what `answer` says (200 by default).
 */
export async function startOtlpReceiver() {
  const requests: ReceivedRequest[] = [];
  let answer: (index: number) => Answer = () => ({ status: 200 });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const reply = answer(requests.length);
      requests.push({ path: request.url ?? '/', headers: request.headers, raw, body, status: reply.status });
      response.writeHead(reply.status, reply.headers ?? {});
      response.end(reply.body ?? '');
    });
  });
  const listening = await listenOnFreePort(server);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    requests,
    answer(next: (index: number) => Answer): void {
      answer = next;
    },
    /** Requests answered 2xx, decoded. */
    accepted(): DecodedResource[][] {
      return requests.filter((request) => request.status < 300).map(decoded);
    },
    stop: () => listening.close(),
  };
}

export function decoded(request: ReceivedRequest): DecodedResource[] {
  return String(request.headers['content-type']).includes('json') ? decodeJson(request.body) : decodeProtobuf(request.body);
}

/** The values of every point of the decoded requests, in order. */
export function valuesOf(requests: readonly DecodedResource[][]): number[] {
  return requests.flatMap((resources) => resources.flatMap((resource) => resource.metrics.flatMap((metric) => metric.points.map((point) => point.value))));
}
