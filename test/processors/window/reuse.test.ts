import { describe, expect, it } from 'vitest';
import { staleMarker } from '../../../src/model/point.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet, type Series } from '../../../src/model/series.js';
import { SketchMapping } from '../../../processors/window/sketch.js';
import { apiCpu, dbCpu, describeBatch, newTestScheduler, partial, point, seededRandom, windowOperator, windowedAtTheirTimes } from './fixtures.js';

// The window reuses what it can: a pane's figures sit in slots of one array, handed on to
// other series' panes; the state of the series that came next last time is tried before a
// map lookup; a bucket's value is remembered. None of it may show in what the window emits.
describe('window processor: reused panes, hints and cached bucket values', () => {
  it('a series that left is not found again through the hint of the series sent before it: its later points start afresh', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count', 'max'] }, testScheduler);
      const source = hot('a 1ms b 1ms c', {
        // dbCpu follows apiCpu: apiCpu's state hints at dbCpu's.
        a: [point(apiCpu, 1, 0), point(dbCpu, 5, 0)],
        b: [staleMarker(dbCpu, 2)],
        c: [point(apiCpu, 2, 4), point(dbCpu, 7, 4)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('2ms x 7ms y', {
        x: [...partial(['db/cpu count@10=1', 'db/cpu max@10=5']), 'db/cpu count@2 stale', 'db/cpu max@2 stale'],
        y: ['api/cpu count@10=2', 'api/cpu max@10=2', 'db/cpu count@10=1', 'db/cpu max@10=7'],
      });
    });
  });

  it('a series forgotten after an idle window, sent again after the same series, gets a new state with its own figures', () => {
    const points = [
      // One batch per time: db/cpu comes right after api/cpu, so api/cpu's state hints at db/cpu's.
      point(apiCpu, 1, 0),
      point(dbCpu, 4, 0),
      // db/cpu idle in [10, 20): forgotten when that window closes; api/cpu goes on.
      point(apiCpu, 2, 12),
      point(apiCpu, 3, 25),
      point(dbCpu, 6, 25),
    ];
    const out = windowedAtTheirTimes({ size: '10ms', aggregates: ['count', 'max'] }, points, 40).map(line);
    expect(out).toEqual([
      'api/cpu count@10=1',
      'api/cpu max@10=1',
      'db/cpu count@10=1',
      'db/cpu max@10=4',
      'api/cpu count@20=1',
      'api/cpu max@20=2',
      'api/cpu count@30=1',
      'api/cpu max@30=3',
      'db/cpu count@30=1',
      'db/cpu max@30=6',
    ]);
  });

  it.each([
    ['tumbling', { size: '8ms' }],
    ['sliding', { size: '8ms', every: '2ms' }],
    ['sliding with grace', { size: '8ms', every: '4ms', grace: '3ms' }],
  ])('gives the figures of every window as worked out from its points, with series coming and going (%s)', (_, shape) => {
    const set = new SeriesSet(new Resource({ 'service.name': 'churn' }));
    const series = Array.from({ length: 12 }, (_, k) => set.get({ name: 'load', unit: '1', kind: 'gauge' }, { slot: k }));
    const random = seededRandom(7);
    const points: MetricPoint[] = [];
    for (let time = 0; time < 60; time++) {
      // Each series sends in bursts and stays away for windows at a time: states expire, slots are reused.
      for (const [k, one] of series.entries()) if (Math.floor(time / 9 + k) % 3 !== 0 && random() < 0.5) points.push(point(one, Math.round(random() * 100), time));
    }
    const config = { ...shape, aggregates: ['count', 'sum', 'min', 'max', 'last', 'mean'] };
    const out = windowedAtTheirTimes(config, points, 90);
    const size = 8;
    const every = 'every' in shape ? Number.parseInt(shape.every, 10) : size;
    expect(figuresBy(out)).toEqual(expectedFigures(points, series, size, every, 60));
  });

  it('a bucket value from the cache is the one worked out afresh, also for codes that share a cache slot', () => {
    const cached = new SketchMapping(0.01);
    const values = [0.001, 0.5, 1, 3.7, 250, 1e6, -2, -0.03, 0];
    const codes = values.map((value) => cached.code(value));
    // Codes 1,024 apart take the same slot in turn.
    for (const code of [...codes, ...codes.map((code) => code + 1024), ...codes]) {
      expect(cached.value(code)).toBe(new SketchMapping(0.01).value(code));
    }
  });
});

function line(p: MetricPoint): string {
  return `${p.series.resource.serviceName}/${p.series.name} ${String(p.series.attributes['aggregate'])}@${p.time}=${p.value}`;
}

/** `slot end aggregate` → value, of whole windows. */
function figuresBy(out: readonly MetricPoint[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const p of out) figures[`${String(p.series.attributes['slot'])} ${p.time} ${String(p.series.attributes['aggregate'])}`] = p.value;
  return figures;
}

function expectedFigures(points: readonly MetricPoint[], series: readonly Series[], size: number, every: number, until: number): Record<string, number> {
  const figures: Record<string, number> = {};
  for (let end = every; end <= until + size; end += every) {
    for (const [k, one] of series.entries()) {
      const inside = points.filter((p) => p.series === one && p.time >= end - size && p.time < end);
      if (inside.length === 0) continue;
      const values = inside.map((p) => p.value);
      const sum = values.reduce((a, b) => a + b, 0);
      const key = (aggregate: string): string => `${k} ${end} ${aggregate}`;
      figures[key('count')] = values.length;
      figures[key('sum')] = sum;
      figures[key('min')] = Math.min(...values);
      figures[key('max')] = Math.max(...values);
      figures[key('last')] = values[values.length - 1]!;
      figures[key('mean')] = sum / values.length;
    }
  }
  return figures;
}
