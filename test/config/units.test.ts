import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from '../../src/config/units.js';

describe('durations', () => {
  it('parse every unit and are written back in the largest unit that divides them', () => {
    expect(['250ms', '15s', '5m', '1h', '1d', '1.5s'].map(parseDuration)).toEqual([250, 15_000, 300_000, 3_600_000, 86_400_000, 1500]);
    expect(['15', '15 s', '5w', ''].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined]);
    expect([250, 1500, 15_000, 300_000, 3_600_000, 86_400_000, 0].map(formatDuration)).toEqual([
      '250ms',
      '1500ms',
      '15s',
      '5m',
      '1h',
      '24h',
      '0ms',
    ]);
  });
});

describe('sizes', () => {
  it('parse decimal and binary units and are written back in the largest binary unit that divides them', () => {
    expect(['100B', '512KB', '2MB', '1GB', '512KiB', '64 MiB', '1GiB'].map(parseSize)).toEqual([
      100,
      512_000,
      2_000_000,
      1_000_000_000,
      512 * 1024,
      64 * 1024 ** 2,
      1024 ** 3,
    ]);
    expect(['64', '64mib', '1TB'].map(parseSize)).toEqual([undefined, undefined, undefined]);
    expect([1500, 1024, 512 * 1024, 64 * 1024 ** 2, 1024 ** 3, 3 * 1024 ** 3].map(formatSize)).toEqual([
      '1500B',
      '1KiB',
      '512KiB',
      '64MiB',
      '1GiB',
      '3GiB',
    ]);
  });

  it('round-trip through their written form', () => {
    for (const bytes of [1, 1024, 1536, 1024 ** 2, 5 * 1024 ** 3]) expect(parseSize(formatSize(bytes))).toBe(bytes);
    for (const ms of [1, 999, 1000, 90_000, 7_200_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
