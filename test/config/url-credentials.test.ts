import { describe, expect, it } from 'vitest';
import { takeBasicAuthorization, urlCredentials } from '../../src/config/secrets.js';
import { seededRandom } from './seeded.js';

/** The regex the scan replaces: the oracle for "same results". */
function byRegex(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/gi)) {
    const userInfo = match[1]!;
    found.push(userInfo);
    const colon = userInfo.indexOf(':');
    if (colon !== -1 && colon < userInfo.length - 1) found.push(userInfo.slice(colon + 1));
  }
  return found;
}

const PIECES = ['://', ':', '/', '@', ' ', '\t', '\n', 'a', 'Z', '9', '+', '.', '-', 'http', 'user', 'pass', 'é', '\u00a0', '\u2028', '_', '?'];

describe('urlCredentials', () => {
  it('finds the user info of URLs', () => {
    expect(urlCredentials('connect to https://admin:s3cret@db.example/x and ftp://anon@host')).toEqual(['admin:s3cret', 's3cret', 'anon']);
    expect(urlCredentials('no url here, a@b, ://x@y, 1://x@y')).toEqual([]);
  });

  it('gives what the regex gave, on a thousand random strings', () => {
    const random = seededRandom(5);
    for (let run = 0; run < 1_000; run++) {
      const length = Math.floor(random() * 30);
      const text = Array.from({ length }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
      expect(urlCredentials(text), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });

  it('is linear, with or without a URL in a long string', () => {
    // The regex takes minutes on a megabyte of letters (quadratic backtracking).
    const started = performance.now();
    expect(urlCredentials('a'.repeat(1 << 20))).toEqual([]);
    expect(urlCredentials(`${'a'.repeat(1 << 19)}://${'b'.repeat(1 << 19)}`)).toEqual([]);
    expect(urlCredentials('a://'.repeat(1 << 18))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('takeBasicAuthorization', () => {
  it('moves user-info into a Basic Authorization value and out of the URL', () => {
    const url = new URL('http://us%40er:p%3Ass@127.0.0.1:8500/sd?x=1');
    expect(takeBasicAuthorization(url)).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(url.toString()).toBe('http://127.0.0.1:8500/sd?x=1');
  });

  it('leaves a URL without user-info as it is', () => {
    const url = new URL('https://127.0.0.1/sd');
    expect(takeBasicAuthorization(url)).toBeUndefined();
    expect(url.toString()).toBe('https://127.0.0.1/sd');
  });
});
