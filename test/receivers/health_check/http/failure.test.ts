import { describe, expect, it } from 'vitest';
import { CHECK_ERROR_TYPES } from '../../../../receivers/health_check/check-result.js';
import { requestFailure } from '../../../../receivers/health_check/http/failure.js';

const withCode = (code: string, message = `${code}: Host: secret.internal. is not in the cert's altnames`): Error =>
  Object.assign(new Error(message), { code });

describe('requestFailure', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'tls', 'certificate has expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', 'certificate does not match the host name'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', 'TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)'],
    ['ENOTFOUND', 'dns', 'host name not found'],
    ['ECONNREFUSED', 'connection_refused', 'connection refused'],
    ['ECONNRESET', 'connection_reset', 'connection reset before an answer'],
    ['EHOSTUNREACH', 'network', 'host unreachable'],
    ['HPE_INVALID_CONSTANT', 'protocol', 'not an HTTP answer (HPE_INVALID_CONSTANT)'],
    ['EWHATEVER', 'network', 'network error (EWHATEVER)'],
  ])('%s is %s: "%s", never the raw message', (code, errorType, message) => {
    const failure = requestFailure(withCode(code));
    expect(failure).toEqual({ errorType, message });
    expect(CHECK_ERROR_TYPES).toContain(failure.errorType);
    expect(failure.message).not.toContain('secret.internal');
  });

  it('says no more than "request failed" of an error without a code', () => {
    expect(requestFailure(new Error('token=abc went wrong'))).toEqual({ errorType: 'network', message: 'request failed' });
    expect(requestFailure(withCode('not a code'))).toEqual({ errorType: 'network', message: 'request failed' });
  });
});
