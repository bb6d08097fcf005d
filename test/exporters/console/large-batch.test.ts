import { describe, expect, it } from 'vitest';
import { eventTable, pointTable } from '../../../exporters/console/table.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { T, firing } from './fixtures.js';

/** Far past the ~100k arguments a spread into Math.max can take. */
const SIZE = 300_000;

describe('console table: a batch of any size', () => {
  it('prints 300,000 metrics, one row each, aligned', () => {
    const set = new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1' }));
    const batch: MetricPoint[] = [];
    for (let index = 0; index < SIZE; index += 1) {
      batch.push({ series: set.get({ name: `queue.depth.${index}`, unit: '1', kind: 'gauge' }), value: index, time: T });
    }
    const lines = pointTable(batch).trimEnd().split('\n');
    expect(lines[0]).toContain(`${SIZE} points`);
    // The header line, the column titles, one row per metric.
    expect(lines).toHaveLength(SIZE + 2);
    expect(lines[2]).toMatch(/^api\s+queue\.depth\.0\s+0$/);
    expect(lines.at(-1)!.lastIndexOf('299999')).toBe(lines[2]!.length - 1);
  });

  it('folds 300,000 series of one metric into one row cut to the width', () => {
    const set = new SeriesSet(new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1' }));
    const descriptor = { name: 'queue.depth', unit: '1', kind: 'gauge' } as const;
    const batch: MetricPoint[] = [];
    for (let index = 0; index < SIZE; index += 1) batch.push({ series: set.get(descriptor, { queue: String(index) }), value: index, time: T });
    const lines = pointTable(batch, 80).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^api\s+queue\.depth {2}queue: 0 0 \| 1 1 \| 2 2 \| .*…$/);
    expect(lines[2]!.length).toBeLessThanOrEqual(80);
  });

  it('prints 300,000 events', () => {
    const batch = Array.from({ length: SIZE }, () => firing);
    expect(eventTable(batch).trimEnd().split('\n')).toHaveLength(SIZE);
  });
});
