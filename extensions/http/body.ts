import type { IncomingMessage } from 'node:http';
import { Refusal } from './answer.js';

/** A silence is a few matchers and a comment: far below this. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The request's JSON body: 413 past the bound (read no further), 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new Refusal(400, 'expected a JSON body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not the parser's message: newer Node quotes the body in it.
    throw new Refusal(400, 'the body is not valid JSON');
  }
}

function tooLarge(limit: number): Refusal {
  // The client may still be sending: close the connection after the answer rather than drain it.
  return new Refusal(413, `the body is larger than ${limit} bytes`, { connection: 'close' });
}
