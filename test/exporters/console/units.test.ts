import { describe, expect, it } from 'vitest';
import { formatBytes, formatFigure, formatSeconds } from '../../../exporters/console/index.js';

describe('console table: figures in their unit', () => {
  it('shows bytes as B, KiB, MiB, GiB, TiB', () => {
    expect([0, 512, 1023, 1024, 123456789, 23.5 * 2 ** 30, 3 * 2 ** 40, -2048].map(formatBytes)).toEqual([
      '0 B',
      '512 B',
      '1023 B',
      '1.0 KiB',
      '117.7 MiB',
      '23.5 GiB',
      '3.0 TiB',
      '-2.0 KiB',
    ]);
    expect(formatFigure(1536, 'By/s', 'system.network.io')).toBe('1.5 KiB/s');
  });

  it('shows seconds in the largest sensible unit', () => {
    expect([0, 0.00042, 0.0042, 0.25, 12.3456, 185, 9884.34, 3 * 86400 + 7200].map(formatSeconds)).toEqual([
      '0 s',
      '420 µs',
      '4.2 ms',
      '250 ms',
      '12.35 s',
      '3m 05s',
      '2h 44m',
      '3d 02h',
    ]);
    expect(formatFigure(1500, 'ms', 'healthcheck.http.phase.duration')).toBe('1.5 s');
  });

  it('shows a *.utilization share (unit 1 or none) as a percentage, and nothing else', () => {
    expect(formatFigure(0.123456, '1', 'process.cpu.utilization')).toBe('12.3%');
    expect(formatFigure(0.9377, '', 'system.memory.utilization')).toBe('93.8%');
    expect(formatFigure(1, '1', 'system.cpu.utilization')).toBe('100.0%');
    // 0..1 and unit 1, but a yes/no: `100%` would misread it.
    expect(formatFigure(1, '1', 'healthcheck.up')).toBe('1');
    expect(formatFigure(0.5, '1', 'healthcheck.error')).toBe('0.5');
  });

  it("shows a window's count as a number of points, whatever the metric's unit", () => {
    expect(formatFigure(5, '1', 'process.cpu.utilization', 'count')).toBe('5');
    expect(formatFigure(5, 'By', 'process.memory.usage', 'count')).toBe('5');
    expect(formatFigure(5, 'By', 'process.memory.usage', 'max')).toBe('5 B');
  });

  it('shows a count by annotation (`{packet}`) as a number, another unit after the number, NaN as it is', () => {
    expect(formatFigure(3, '{packet}', 'system.network.dropped')).toBe('3');
    expect(formatFigure(200, 'Cel', 'hw.temperature')).toBe('200 Cel');
    expect(formatFigure(Number.NaN, 'By', 'process.memory.usage')).toBe('NaN');
  });
});
