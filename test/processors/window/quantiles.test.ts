import { describe, expect, it } from 'vitest';
import { DDSketch } from '@datadog/sketches-js';
import type { MetricPoint } from '../../../src/model/point.js';
import { QuantileSketch, SketchMapping } from '../../../processors/window/sketch.js';
import { apiLatency, point, seededRandom, windowedAtTheirTimes } from './fixtures.js';

const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/** Latencies with a long tail: log-normal-ish, from about 1 ms to several seconds. */
function latencies(count: number, random: () => number): number[] {
  return Array.from({ length: count }, () => Math.exp(-5 + 4 * (random() + random() + random()) / 1.5));
}

/** The exact quantile the sketch estimates: the value of rank ⌊q × (n − 1)⌋ among the sorted values. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function expectWithin(estimate: number, exact: number, accuracy: number, label: string): void {
  // The sketch's guarantee, plus a hair for floating point.
  expect({ label, error: Math.abs(estimate - exact) / Math.abs(exact) <= accuracy * (1 + 1e-9) }).toEqual({ label, error: true });
}

describe('window processor: quantiles through DDSketch', () => {
  it('reports p50, p90, p95 and p99 within the default relative accuracy (1 %) of the exact quantiles', () => {
    const random = seededRandom(42);
    const values = latencies(5_000, random);
    const points = values.map((value, i) => point(apiLatency, value, Math.floor((i * 10) / values.length)));
    const seen = windowedAtTheirTimes({ size: '10ms', aggregates: ['p50', 'p90', 'p95', 'p99', 'count'] }, points, 10);
    expect(seen.find((p) => p.series.attributes['aggregate'] === 'count')?.value).toBe(5_000);
    for (const [name, q] of Object.entries(QUANTILES)) {
      const figure = seen.find((p) => p.series.attributes['aggregate'] === name);
      expectWithin(figure!.value, exactQuantile(values, q), 0.01, name);
    }
  });

  it('merges the panes of sliding windows: every window within the accuracy of its own points, negative values included', () => {
    const random = seededRandom(3);
    const points: MetricPoint[] = [];
    for (let time = 0; time < 60; time++) {
      // Values on both sides of zero, so the panes' negative stores are merged too.
      for (let i = 0; i < 40; i++) points.push(point(apiLatency, (random() - 0.3) * 100 * (1 + time), time));
    }
    const accuracy = 0.02;
    const seen = windowedAtTheirTimes({ size: '40ms', every: '10ms', aggregates: ['p50', 'p90', 'p95', 'p99'], relative_accuracy: accuracy }, points, 60);
    const ends = [...new Set(seen.map((p) => p.time))].sort((a, b) => a - b);
    expect(ends).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    for (const end of ends) {
      const inside = points.filter((p) => p.time >= end - 40 && p.time < end).map((p) => p.value);
      for (const [name, q] of Object.entries(QUANTILES)) {
        const figure = seen.find((p) => p.time === end && p.series.attributes['aggregate'] === name);
        expectWithin(figure!.value, exactQuantile(inside, q), accuracy, `${name}@${end}`);
      }
    }
  });

  it('keeps the other figures exact beside the quantiles, all in one batch at the window end', () => {
    const points = [point(apiLatency, 2, 0), point(apiLatency, 0, 1), point(apiLatency, 100, 5)];
    const seen = windowedAtTheirTimes({ size: '10ms', aggregates: ['p50', 'max', 'count'] }, points, 10);
    expect(seen.map((p) => [p.series.attributes['aggregate'], p.time])).toEqual([
      ['p50', 10],
      ['max', 10],
      ['count', 10],
    ]);
    expectWithin(seen[0]!.value, 2, 0.01, 'p50');
    expect(seen.slice(1).map((p) => p.value)).toEqual([100, 3]);
  });
});

describe('QuantileSketch', () => {
  it('reports what DDSketch (@datadog/sketches-js) reports for the same points, few (a list) or many (per bucket)', () => {
    const random = seededRandom(11);
    const mapping = new SketchMapping(0.01);
    for (const count of [1, 3, 64, 65, 2_000]) {
      const ours = new QuantileSketch(mapping);
      const theirs = new DDSketch({ relativeAccuracy: 0.01 });
      for (const value of latencies(count, random)) {
        ours.add(value);
        theirs.accept(value);
      }
      for (const q of [0, 0.5, 0.9, 0.95, 0.99, 1]) expect([count, q, ours.quantile(q)]).toEqual([count, q, theirs.getValueAtQuantile(q)]);
    }
  });

  it('merges sketches, negative values and zeros included, whether each holds a list or buckets', () => {
    const random = seededRandom(5);
    const mapping = new SketchMapping(0.01);
    for (const [left, right] of [[3, 4], [3, 200], [200, 3], [150, 150]] as const) {
      const a = new QuantileSketch(mapping);
      const b = new QuantileSketch(mapping);
      const values: number[] = [];
      for (let i = 0; i < left + right; i++) {
        const value = i % 17 === 0 ? 0 : (random() - 0.5) * 1_000;
        values.push(value);
        (i < left ? a : b).add(value);
      }
      a.merge(b);
      expect(a.count).toBe(left + right);
      for (const q of [0.01, 0.5, 0.9, 0.99]) {
        const exact = exactQuantile(values, q);
        if (exact === 0) expect(a.quantile(q)).toBe(0);
        else expectWithin(a.quantile(q), exact, 0.01, `${left}+${right} q${q}`);
      }
    }
  });
});
