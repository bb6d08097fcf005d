import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and a self-signed certificate in PEM, and the file the certificate is in (for a `ca_file`). */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  readonly certFile: string;
  /** Removes the files. */
  remove(): void;
}

/**
 * A self-signed certificate for `names` (by default `localhost` and 127.0.0.1), valid from now for `days` days,
 * made with the system's `openssl` (an EC key: made in milliseconds). It is its own CA, so a
 * client that trusts `certFile` accepts it.
 */
export function selfSignedCertificate(days: number, names = 'DNS:localhost,IP:127.0.0.1'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', String(days),
      '-subj', '/CN=localhost', '-addext', `subjectAltName=${names}`,
    ],
    { stdio: 'pipe' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
