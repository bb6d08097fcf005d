import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Refusal } from './answer.js';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="healthpipe"' };

/**
 * The bearer token that changes need. Compared in constant time over SHA-256 digests, so
 * neither the token's bytes nor its length leak through timing; never echoed.
 */
export class BearerToken {
  private readonly digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.digest = token === undefined ? undefined : sha256(token);
  }

  /** Throws 403 when no token is configured (the API is read-only), 401 when it is missing or wrong. */
  require(request: IncomingMessage): void {
    if (this.digest === undefined) {
      throw new Refusal(403, 'the API is read-only: configure a token (extensions.http.token) to create or expire silences');
    }
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match === null) throw new Refusal(401, 'this request needs "Authorization: Bearer <token>"', CHALLENGE);
    if (!timingSafeEqual(sha256(match[1]!), this.digest)) {
      throw new Refusal(401, 'the bearer token is not the configured one', { 'www-authenticate': 'Bearer realm="healthpipe", error="invalid_token"' });
    }
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
