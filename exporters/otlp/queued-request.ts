import type { EncodedRequest } from './encode/index.js';

/**
 * What the delivery queue holds: one encoded request per consumed batch (never one item per
 * point: a store write per point is far too slow), as JSON-safe data, the body in base64,
 * so the store holds it and a send after a restart sees the same bytes.
 */
export interface QueuedRequest {
  readonly body: string;
  readonly points: number;
  readonly contentType: string;
}

/** Room for the fields around the body in the stored JSON. */
const ENVELOPE = 64;

export function queuedRequest(request: EncodedRequest): QueuedRequest {
  const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('base64');
  return { body, points: request.points, contentType: request.contentType };
}

export function outgoingRequest(queued: QueuedRequest): EncodedRequest {
  return { body: Buffer.from(queued.body, 'base64'), points: queued.points, contentType: queued.contentType };
}

/** A queued request's size as the store holds it, without writing its JSON out: what the queue's bounds count. */
export function queuedSize(queued: QueuedRequest): number {
  return queued.body.length + ENVELOPE;
}

/** The stored size of a request whose body has `bytes` bytes (base64 makes 4 characters of 3 bytes). */
export function storedSizeOf(bytes: number): number {
  return Math.ceil(bytes / 3) * 4 + ENVELOPE;
}
