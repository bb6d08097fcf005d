import type { EncodedRequest } from './types.js';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
export const JSON_CONTENT_TYPE = 'application/json';

/** Byte arrays end to end in one new array. */
export function joinBytes(parts: readonly Uint8Array[], separator?: Uint8Array, prefix?: Uint8Array, suffix?: Uint8Array): Uint8Array {
  let length = (prefix?.length ?? 0) + (suffix?.length ?? 0) + (separator === undefined ? 0 : separator.length * Math.max(0, parts.length - 1));
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  if (prefix !== undefined) {
    out.set(prefix, at);
    at += prefix.length;
  }
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 && separator !== undefined) {
      out.set(separator, at);
      at += separator.length;
    }
    out.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  if (suffix !== undefined) out.set(suffix, at);
  return out;
}

function totalPoints(requests: readonly EncodedRequest[]): number {
  let points = 0;
  for (const request of requests) points += request.points;
  return points;
}

/**
 * Protobuf: an ExportMetricsServiceRequest is only its repeated field 1 (ResourceMetrics),
 * and repeated fields of concatenated messages append, so the bytes of several requests
 * end to end are one valid request carrying all their resources (DESIGN §6).
 */
export function concatProtobuf(requests: readonly EncodedRequest[]): EncodedRequest {
  if (requests.length === 1) return requests[0]!;
  return { body: joinBytes(requests.map((request) => request.body)), points: totalPoints(requests), contentType: PROTOBUF_CONTENT_TYPE };
}

const encoder = new TextEncoder();
/** What JSON.stringify writes around the list for `{ resourceMetrics: [...] }`, the JSON serializer's whole output. */
const JSON_HEAD = encoder.encode('{"resourceMetrics":[');
const JSON_TAIL = encoder.encode(']}');
const COMMA = encoder.encode(',');

function startsWith(bytes: Uint8Array, head: Uint8Array): boolean {
  if (bytes.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (bytes[i] !== head[i]) return false;
  return true;
}

/** The bytes of the resourceMetrics list without its brackets, or undefined if `body` is not shaped as the serializer writes it. */
function listItems(body: Uint8Array): Uint8Array | undefined {
  if (!startsWith(body, JSON_HEAD) || body.length < JSON_HEAD.length + JSON_TAIL.length) return undefined;
  const end = body.length - JSON_TAIL.length;
  if (body[end] !== JSON_TAIL[0] || body[end + 1] !== JSON_TAIL[1]) return undefined;
  return body.subarray(JSON_HEAD.length, end);
}

/**
 * JSON: one object whose `resourceMetrics` lists every request's. The serializer's own
 * output is merged as bytes (its list's items joined by commas, nothing parsed); a body of
 * another shape (written elsewhere, with other keys) is parsed and merged as objects.
 */
export function concatJson(requests: readonly EncodedRequest[]): EncodedRequest {
  if (requests.length === 1) return requests[0]!;
  const items: Uint8Array[] = [];
  for (const request of requests) {
    const list = listItems(request.body);
    if (list === undefined) return concatParsed(requests);
    if (list.length > 0) items.push(list);
  }
  return { body: joinBytes(items, COMMA, JSON_HEAD, JSON_TAIL), points: totalPoints(requests), contentType: JSON_CONTENT_TYPE };
}

function concatParsed(requests: readonly EncodedRequest[]): EncodedRequest {
  const decoder = new TextDecoder();
  const resourceMetrics: unknown[] = [];
  for (const request of requests) {
    const parsed = JSON.parse(decoder.decode(request.body)) as { resourceMetrics?: unknown[] };
    resourceMetrics.push(...(parsed.resourceMetrics ?? []));
  }
  return { body: encoder.encode(JSON.stringify({ resourceMetrics })), points: totalPoints(requests), contentType: JSON_CONTENT_TYPE };
}
