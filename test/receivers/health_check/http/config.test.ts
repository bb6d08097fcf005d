import { describe, expect, it } from 'vitest';
import { httpCheckSchema, httpCheckSecrets } from '../../../../receivers/health_check/http/config.js';
import { parseExpectStatus, statusExpected } from '../../../../receivers/health_check/http/expect-status.js';
import { parseJsonPath, valueAt } from '../../../../receivers/health_check/http/json-path.js';

function issues(input: unknown): string[] {
  const result = httpCheckSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('http check config', () => {
  it('fills every default from the schema', () => {
    expect(httpCheckSchema.parse({ url: 'http://127.0.0.1:8080/health' })).toEqual({
      url: 'http://127.0.0.1:8080/health',
      method: 'GET',
      headers: {},
      expect_status: '200-299',
      tls: { insecure_skip_verify: false, cert_warning_days: 14 },
      keep_alive: true,
      follow_redirects: false,
      max_body: 1024 ** 2,
    });
  });

  it('reads sizes as written', () => {
    expect(httpCheckSchema.parse({ url: 'http://x/', max_body: '64KiB' }).max_body).toBe(64 * 1024);
  });

  it('refuses what cannot be checked, naming each field', () => {
    const found = issues({
      url: 'ftp://example.org/',
      expect_status: '200-199,abc',
      body_regex: '(',
      json_path: 'a..b',
      unknown: 1,
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^url: expected an http/),
        expect.stringMatching(/^expect_status: "200-199" ends before it starts/),
        expect.stringMatching(/^body_regex: expected a JavaScript regular expression/),
        expect.stringMatching(/^json_path: cannot read/),
        expect.stringMatching(/unknown/),
      ]),
    );
  });

  it('refuses equals without json_path, and a bearer token beside other credentials', () => {
    expect(issues({ url: 'http://x/', equals: 'up' })).toEqual(['equals: equals needs json_path: the value to compare']);
    expect(issues({ url: 'http://u:p@x/', bearer_token: 'tok' })).toEqual([expect.stringMatching(/^bearer_token: /)]);
    expect(issues({ url: 'http://x/', headers: { authorization: 'Basic x' }, bearer_token: 'tok' })).toHaveLength(1);
  });

  it('refuses header values that would end the header, and body checks on HEAD', () => {
    expect(issues({ url: 'http://x/', headers: { 'X-A': 'a\r\nX-Injected: 1' } })).toEqual([
      'headers.X-A: expected a header value without line breaks or control characters',
    ]);
    expect(issues({ url: 'http://x/', bearer_token: 'a\nb' })).toHaveLength(1);
    expect(issues({ url: 'http://x/', method: 'HEAD', body_contains: 'ok' })).toEqual(['method: a HEAD answer has no body for body_contains']);
  });

  it('names as secrets the header values, the token, and the URL password as written, decoded and as Basic credentials', () => {
    const config = httpCheckSchema.parse({ url: 'https://user:p%40ssword@example.org/', headers: { 'X-Api-Key': 'key-123' } });
    expect(httpCheckSecrets(config)).toEqual([
      'key-123',
      'p%40ssword',
      'p@ssword',
      Buffer.from('user:p@ssword').toString('base64'),
    ]);
    expect(httpCheckSecrets(httpCheckSchema.parse({ url: 'http://x/', bearer_token: 'tok-456' }))).toEqual(['tok-456']);
  });
});

describe('expect_status', () => {
  it('reads ranges and single codes', () => {
    const ranges = parseExpectStatus('200-299, 301');
    expect(ranges).toEqual([
      [200, 299],
      [301, 301],
    ]);
    if (typeof ranges === 'string') throw new Error(ranges);
    expect([200, 299, 301, 302, 199, 503].map((status) => statusExpected(ranges, status))).toEqual([true, true, true, false, false, false]);
  });

  it('refuses codes outside 100-599', () => {
    expect(parseExpectStatus('600')).toMatch(/outside/);
    expect(parseExpectStatus('')).toMatch(/not a status code/);
  });
});

describe('json_path', () => {
  it('reads names, indexes and quoted keys', () => {
    expect(parseJsonPath('status')).toEqual(['status']);
    expect(parseJsonPath('checks[0].state')).toEqual(['checks', 0, 'state']);
    expect(parseJsonPath('$.data["a.b"][2]')).toEqual(['data', 'a.b', 2]);
  });

  it('finds a value or says it is missing, never reading inherited properties', () => {
    const document = { checks: [{ state: 'up' }], status: null };
    expect(valueAt(document, ['checks', 0, 'state'])).toEqual({ found: true, value: 'up' });
    expect(valueAt(document, ['status'])).toEqual({ found: true, value: null });
    expect(valueAt(document, ['checks', 1, 'state'])).toEqual({ found: false });
    expect(valueAt(document, ['toString'])).toEqual({ found: false });
    expect(valueAt(document, ['status', 'x'])).toEqual({ found: false });
  });
});
