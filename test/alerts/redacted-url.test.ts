import { describe, expect, it } from 'vitest';
import { redactedUrl } from '../../src/alerts/index.js';

describe('redactedUrl', () => {
  it('blanks user-info and secret-named query values, keeps the rest', () => {
    expect(redactedUrl('https://alice:pa55word@am.example:9093/base/?token=abc&team=ops')).toBe('https://***@am.example:9093/base/?token=***&team=ops');
    expect(redactedUrl('http://127.0.0.1:9093')).toBe('http://127.0.0.1:9093/');
  });

  it('shows a URL that does not parse as *** whole', () => {
    expect(redactedUrl('not a url with secret')).toBe('***');
  });
});
