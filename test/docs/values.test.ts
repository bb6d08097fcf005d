import { describe, expect, it } from 'vitest';
import { renderValue } from '../../src/docs/values.js';

describe('renderValue', () => {
  it('writes parsed durations and sizes back in their units', () => {
    expect(renderValue(300_000, 'duration')).toBe('5m');
    expect(renderValue(250, 'duration')).toBe('250ms');
    expect(renderValue(1024 ** 3, 'size')).toBe('1GiB');
    expect(renderValue(1500, 'size')).toBe('1500B');
  });

  it('leaves plain strings bare and quotes those YAML would read as something else', () => {
    expect(renderValue('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318');
    expect(renderValue('200-299')).toBe('200-299');
    expect(renderValue('true')).toBe('"true"');
    expect(renderValue('0.5')).toBe('"0.5"');
    expect(renderValue('')).toBe('""');
    expect(renderValue('a: b')).toBe('"a: b"');
  });

  it('writes lists and maps in flow style', () => {
    expect(renderValue(['registry', 'file'])).toBe('[registry, file]');
    expect(renderValue({ team: 'payments', tier: 1 })).toBe('{ team: payments, tier: 1 }');
    expect(renderValue(null)).toBe('null');
  });
});
