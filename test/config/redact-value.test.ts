import { describe, expect, it } from 'vitest';
import { HealthpipeError } from '../../src/errors.js';
import { redact, redactValue } from '../../src/config/secrets.js';

describe('redactValue', () => {
  it('blanks a secret that JSON would escape, which redacting the serialised line misses', () => {
    const secrets = new Set(['to"ken\\with-quote', 'tab\tand\u0001control']);
    const record = { message: 'login with to"ken\\with-quote', header: 'x tab\tand\u0001control y' };
    // The old way: the escaped line no longer contains the secret as written.
    expect(redact(JSON.stringify(record), secrets)).toContain('to\\"ken\\\\with-quote');
    const line = JSON.stringify(redactValue(record, secrets));
    expect(line).toBe('{"message":"login with ***","header":"x *** y"}');
  });

  it('blanks every occurrence in strings, longest secret first, unicode included', () => {
    const secrets = ['pässwörd-☃-😀', 'abc', 'abcdef'];
    expect(redactValue('a pässwörd-☃-😀 b pässwörd-☃-😀', secrets)).toBe('a *** b ***');
    expect(redactValue('xabcdefx abc', secrets)).toBe('x***x ***');
  });

  it('blanks a number whose text is a secret, whole, and leaves other numbers', () => {
    const secrets = ['12345678901234'];
    expect(redactValue({ token: 12345678901234, count: 12345, big: 12345678901234n }, secrets)).toEqual({
      token: '***',
      count: 12345,
      big: '***',
    });
  });

  it('copies nested arrays and objects, keeping keys, and never changes its input', () => {
    const input = { outer: { list: ['s3cret', { deeper: ['s3cret!'] }], n: 1, ok: true, nothing: null } };
    const before = structuredClone(input);
    expect(redactValue(input, ['s3cret'])).toEqual({ outer: { list: ['***', { deeper: ['***!'] }], n: 1, ok: true, nothing: null } });
    expect(input).toEqual(before);
  });

  it('writes an Error as name, message, code, cause and its own fields, each redacted', () => {
    const cause = Object.assign(new Error('upstream refused s3cret'), { code: 's3cret-code' });
    const error = new HealthpipeError('COMPONENT_CREATE', 'cannot start with s3cret', { component: 'otlp', cause });
    expect(redactValue(error, ['s3cret'])).toEqual({
      name: 'HealthpipeError',
      message: 'cannot start with ***',
      code: 'COMPONENT_CREATE',
      component: 'otlp',
      cause: { name: 'Error', message: 'upstream refused ***', code: '***-code' },
    });
    expect(error.message).toBe('cannot start with s3cret');
  });

  it('cuts a cycle and a structure too deep with a marker; a shared value is written twice', () => {
    const node: Record<string, unknown> = { name: 's3cret' };
    node['self'] = node;
    node['list'] = [node];
    expect(redactValue(node, ['s3cret'])).toEqual({ name: '***', self: '[circular]', list: ['[circular]'] });
    let deep: Record<string, unknown> = { leaf: 's3cret' };
    for (let level = 0; level < 20; level += 1) deep = { deep };
    expect(JSON.stringify(redactValue(deep, ['s3cret']))).toContain('[too deep]');
    const shared = { token: 's3cret' };
    expect(redactValue({ first: shared, second: shared }, ['s3cret'])).toEqual({ first: { token: '***' }, second: { token: '***' } });
  });

  it('redacts what an object serialises to, and leaves values when there is nothing to hide', () => {
    class Target {
      constructor(readonly url: string) {}
    }
    expect(redactValue({ at: new Date(0), target: new Target('http://s3cret@x') }, ['s3cret'])).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      target: { url: 'http://***@x' },
    });
    expect(redactValue({ a: 'b', big: 5n }, [])).toEqual({ a: 'b', big: '5' });
    // Shorter than three characters would blank ordinary words.
    expect(redactValue('ab cd', ['ab'])).toBe('ab cd');
  });
});

describe('redact with many or long secrets', () => {
  it('blanks thousands of secrets in one pass, and secrets too long for one pattern one by one', () => {
    const many = Array.from({ length: 3000 }, (_, index) => `secret-${index}-value`);
    expect(redact('a secret-2999-value b secret-7-value c', many)).toBe('a *** b *** c');
    const long = 'x'.repeat(40_000);
    expect(redact(`before ${long} after`, [long, 'after'])).toBe('before *** ***');
  });
});
