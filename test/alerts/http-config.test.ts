import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpSinkFields, httpUrl } from '../../src/alerts/http-config.js';

const schema = z.strictObject({ url: httpUrl(), ...httpSinkFields });

describe('the HTTP alert sinks settings', () => {
  it('takes http and https URLs with headers and a token, and fills in the defaults', () => {
    expect(schema.parse({ url: 'https://u:p@am.example/', headers: { 'X-Scope-OrgID': 'a' }, bearer_token: 't' })).toMatchObject({
      timeout: 10_000,
      retry_max_interval: 5_000,
      forget_after: 7 * 86_400_000,
    });
  });

  it('refuses another scheme, a header name with a space and a header value with a line break, without echoing it', () => {
    const result = schema.safeParse({ url: 'ftp://am', headers: { 'bad name': 'x', ok: 'a\r\nInjected: evil' } });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'url: expected an http:// or https:// URL',
        'headers.ok: a header value cannot hold a line break or NUL',
      ]),
    );
    expect(result.error!.issues.some((issue) => issue.path.join('.') === 'headers.bad name')).toBe(true);
    expect(messages.join('\n')).not.toContain('evil');
  });
});
