import { describe, expect, it } from 'vitest';
import { redactFields } from '../../src/telemetry/redact-fields.js';

describe('redactFields', () => {
  const secrets = new Set(['s3cr3t', '4242424242']);

  it('walks strings, numbers, arrays and plain objects, keeping everything else as JSON would write it', () => {
    expect(
      redactFields({ a: 'x s3cr3t y', b: 4242424242, c: [4242424242, 's3cr3t', true, null], d: 7, e: undefined }, secrets),
    ).toEqual({ a: 'x *** y', b: '***', c: ['***', '***', true, null], d: 7, e: undefined });
  });

  it('writes a Date as its ISO text and a bigint as its decimal text, redacted', () => {
    expect(redactFields({ at: new Date(0), big: 4242424242n, other: 5n }, secrets)).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      big: '***',
      other: '5',
    });
  });

  it('stops at a bounded depth, and a shared (not cyclic) value is written twice', () => {
    let deep: Record<string, unknown> = { leaf: 's3cr3t' };
    for (let level = 0; level < 20; level += 1) deep = { deep };
    expect(JSON.stringify(redactFields(deep, secrets))).toContain('[too deep]');
    const shared = { token: 's3cr3t' };
    expect(redactFields({ first: shared, second: shared }, secrets)).toEqual({ first: { token: '***' }, second: { token: '***' } });
  });
});
