import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/model/iso-time.js';
import { pointLine } from '../../src/model/json-line.js';
import { Resource, SeriesSet } from '../../src/model/series.js';

const A = Date.UTC(2024, 4, 1, 12, 0, 0);
const B = A + 1_500;

describe('isoTime', () => {
  it('gives each time its own text when times alternate (the remembered one is never stale)', () => {
    expect([A, A, B, A, B, B].map(isoTime)).toEqual([
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:01.500Z',
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:01.500Z',
      '2024-05-01T12:00:01.500Z',
    ]);
  });

  it('throws for an invalid time, as Date#toISOString does, also right after a valid one', () => {
    isoTime(A);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(isoTime(A)).toBe('2024-05-01T12:00:00.000Z');
  });

  it('stamps each JSON line with its own point time', () => {
    const series = new SeriesSet(new Resource({ 'service.name': 'api' })).get({ name: 'up', unit: '1', kind: 'gauge' });
    const times = [A, B, A].map((time) => (JSON.parse(pointLine({ series, value: 1, time })) as { time: string }).time);
    expect(times).toEqual(['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:01.500Z', '2024-05-01T12:00:00.000Z']);
  });
});
