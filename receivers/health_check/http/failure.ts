import type { CheckErrorType } from '../check-result.js';

/** Why a request failed, in the fixed vocabulary, with a short message of our own words. */
export interface RequestFailure {
  readonly errorType: CheckErrorType;
  readonly message: string;
}

/**
 * Our words for OpenSSL's verification codes. Node's own messages may carry the host name
 * or the certificate's names; a message here never holds more than the table says.
 */
const TLS_MESSAGES: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate is not trusted (unable to verify its issuer)',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate is not trusted (issuer unknown)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate is not trusted (issuer unknown)',
  CERT_REVOKED: 'certificate is revoked',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

const NETWORK_MESSAGES: Readonly<Record<string, readonly [CheckErrorType, string]>> = {
  ECONNREFUSED: ['connection_refused', 'connection refused'],
  ECONNRESET: ['connection_reset', 'connection reset before an answer'],
  ENOTFOUND: ['dns', 'host name not found'],
  EAI_AGAIN: ['dns', 'host name lookup failed (temporary)'],
  EAI_FAIL: ['dns', 'host name lookup failed'],
  EAI_NODATA: ['dns', 'host name has no address'],
  EHOSTUNREACH: ['network', 'host unreachable'],
  ENETUNREACH: ['network', 'network unreachable'],
  ETIMEDOUT: ['network', 'connection timed out'],
  EPIPE: ['network', 'connection closed while sending'],
};

/** Classifies an error of `node:http(s)` (never its raw message: it may name hosts or secrets). */
export function requestFailure(error: unknown): RequestFailure {
  const code = codeOf(error);
  const tls = TLS_MESSAGES[code];
  if (tls !== undefined) return { errorType: 'tls', message: tls };
  const network = NETWORK_MESSAGES[code];
  if (network !== undefined) return { errorType: network[0], message: network[1] };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /^(CERT|UNABLE_TO|INVALID_CA|PATH_LENGTH)/.test(code)) {
    return { errorType: 'tls', message: `TLS handshake failed (${code})` };
  }
  if (code.startsWith('HPE_')) return { errorType: 'protocol', message: `not an HTTP answer (${code})` };
  if (/^E[A-Z]+$/.test(code)) return { errorType: 'network', message: `network error (${code})` };
  return { errorType: 'network', message: 'request failed' };
}

function codeOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return '';
}
