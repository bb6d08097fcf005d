import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../../../receivers/health_check/check-result.js';
import { createHttpCheck, httpCheckSchema, type HttpCheckEnvironment } from '../../../../receivers/health_check/http/index.js';
import { selfSignedCertificate, type TestCertificate } from '../../../helpers/tls.js';
import { httpsServer, type LocalServer } from './servers.js';

const DAY = 86_400;
let longLived: TestCertificate;
let expiringSoon: TestCertificate;
let server: LocalServer;
let soonServer: LocalServer;
const checks: Check[] = [];

beforeAll(async () => {
  longLived = selfSignedCertificate(365);
  expiringSoon = selfSignedCertificate(5);
  server = await httpsServer(longLived, (_req, res) => res.end('ok'));
  soonServer = await httpsServer(expiringSoon, (_req, res) => res.end('ok'));
});

afterAll(async () => {
  await Promise.all([server.close(), soonServer.close()]);
  longLived.remove();
  expiringSoon.remove();
});

afterEach(() => {
  for (const check of checks.splice(0)) check.close();
});

function check(config: Record<string, unknown>, environment: HttpCheckEnvironment = { secrets: [] }): Check {
  const made = createHttpCheck(httpCheckSchema.parse(config), environment);
  checks.push(made);
  return made;
}

const patient = (): AbortSignal => AbortSignal.timeout(30_000);

describe('https check', () => {
  it('fails verification of a self-signed certificate as tls', async () => {
    const result = await check({ url: server.url }).run(patient());
    expect(result).toMatchObject({ state: 'critical', errorType: 'tls', message: 'self-signed certificate' });
  });

  it('with insecure_skip_verify: ok, with the handshake timed and the days left measured', async () => {
    const result = await check({ url: server.url, tls: { insecure_skip_verify: true } }).run(patient());
    expect(result).toMatchObject({ state: 'ok', httpStatus: 200 });
    expect(Object.keys(result.phases ?? {}).sort()).toEqual(['connect', 'first_byte', 'tls', 'total']);
    expect(result.certRemaining).toBeGreaterThan(364 * DAY);
    expect(result.certRemaining).toBeLessThanOrEqual(365 * DAY);
  });

  it('trusts the certificate of ca_file', async () => {
    const target = check({ url: `${server.url}/`, tls: { ca_file: longLived.certFile } });
    expect(await target.run(patient())).toMatchObject({ state: 'ok', httpStatus: 200 });
    // The kept connection still knows its certificate.
    const second = await target.run(patient());
    expect(Object.keys(second.phases ?? {}).sort()).toEqual(['first_byte', 'total']);
    expect(second.certRemaining).toBeGreaterThan(364 * DAY);
  });

  it('verifies the name: a trusted certificate for another host is tls', async () => {
    const elsewhere = selfSignedCertificate(365, 'DNS:other.example');
    const other = await httpsServer(elsewhere, (_req, res) => res.end('ok'));
    try {
      const result = await check({ url: other.url, tls: { ca_file: elsewhere.certFile } }).run(patient());
      expect(result).toMatchObject({ state: 'critical', errorType: 'tls', message: 'certificate does not match the host name' });
    } finally {
      await other.close();
      elsewhere.remove();
    }
  });

  it('is critical when ca_file cannot be read, without naming the path', async () => {
    const result = await check({ url: server.url, tls: { ca_file: '/nonexistent/ca.pem' } }).run(patient());
    expect(result).toMatchObject({ state: 'critical', errorType: 'tls', message: 'tls.ca_file cannot be read (ENOENT)' });
  });

  it('warns of a certificate expiring within cert_warning_days', async () => {
    const result = await check({ url: soonServer.url, tls: { ca_file: expiringSoon.certFile } }).run(patient());
    expect(result).toMatchObject({ state: 'warning', httpStatus: 200, message: 'certificate expires in 4 days' });
    expect(result.errorType).toBeUndefined();
    const relaxed = await check({ url: soonServer.url, tls: { ca_file: expiringSoon.certFile, cert_warning_days: 3 } }).run(patient());
    expect(relaxed.state).toBe('ok');
  });

  it('measures an expired certificate as negative time left when verification is skipped', async () => {
    const inAYear = (): number => Date.now() + 400 * DAY * 1000;
    const result = await check({ url: server.url, tls: { insecure_skip_verify: true } }, { secrets: [], now: inAYear }).run(patient());
    expect(result.certRemaining).toBeLessThan(-30 * DAY);
    expect(result).toMatchObject({ state: 'warning', message: expect.stringMatching(/^certificate expired \d+ days ago$/) });
  });
});
