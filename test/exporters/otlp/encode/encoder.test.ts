import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet, staleMarker, type MetricPoint, type SeriesDescriptor } from '../../../../src/index.js';
import { packageRoot } from '../../../../src/package-root.js';
import { createOtlpEncoder } from '../../../../exporters/otlp/encode/encoder.js';
import type { OtlpProtocol, SkipReason } from '../../../../exporters/otlp/encode/types.js';
import { decodeJson, decodeProtobuf, type DecodedResource } from './otlp-decode.js';

const MEMORY: SeriesDescriptor = { name: 'process.memory.usage', unit: 'By', kind: 'gauge', description: 'Resident memory' };
const CPU: SeriesDescriptor = { name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true };
const UP_DOWN: SeriesDescriptor = { name: 'http.server.active_requests', unit: '{requests}', kind: 'sum', monotonic: false };
const UTILIZATION: SeriesDescriptor = { name: 'system.cpu.utilization', unit: '1', kind: 'gauge' };

/** Milliseconds whose naive `ms * 1e6` as a double is not the exact nanosecond count (doubles near 1.7e18 are 256 apart). */
const T = 1_700_000_000_123;
const T_NANOS = '1700000000123000000';

function checkout(pid = 4242): SeriesSet {
  return new SeriesSet(new Resource({ 'service.name': 'checkout', 'service.instance.id': 'checkout-1', 'process.pid': pid }, { volatile: ['process.pid'] }));
}

const decoders: Record<OtlpProtocol, (body: Uint8Array) => DecodedResource[]> = { 'http/protobuf': decodeProtobuf, 'http/json': decodeJson };
const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

describe.each(['http/protobuf', 'http/json'] as const)('the OTLP encoder, %s', (protocol) => {
  const decode = decoders[protocol];

  it('writes gauges and cumulative sums with their names, units, kinds, monotonicity, start times and exact timestamps', () => {
    const set = checkout();
    const points: MetricPoint[] = [
      { series: set.get(MEMORY, { 'process.memory.type': 'rss' }), value: 123_456_789, time: T },
      { series: set.get(CPU, { 'cpu.mode': 'user' }), value: 12.5, time: T, startTime: 1_699_999_000_001 },
      { series: set.get(UP_DOWN), value: 3, time: T + 1, startTime: 1_699_999_999_999 },
      { series: set.get(UTILIZATION), value: 0.25, time: T + 2 },
    ];
    const request = createOtlpEncoder(protocol).encode(points)!;
    expect(request.points).toBe(4);
    expect(request.contentType).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
    const [resource, ...others] = decode(request.body);
    expect(others).toEqual([]);
    expect(resource!.metrics).toEqual([
      {
        name: 'process.memory.usage',
        description: 'Resident memory',
        unit: 'By',
        kind: 'gauge',
        points: [{ attributes: { 'process.memory.type': 'rss' }, startTimeUnixNano: '0', timeUnixNano: T_NANOS, value: 123_456_789 }],
      },
      {
        name: 'process.cpu.time',
        description: '',
        unit: 's',
        kind: 'sum',
        temporality: 2,
        monotonic: true,
        points: [{ attributes: { 'cpu.mode': 'user' }, startTimeUnixNano: '1699999000001000000', timeUnixNano: T_NANOS, value: 12.5 }],
      },
      {
        name: 'http.server.active_requests',
        description: '',
        unit: '{requests}',
        kind: 'sum',
        temporality: 2,
        monotonic: false,
        points: [{ attributes: {}, startTimeUnixNano: '1699999999999000000', timeUnixNano: '1700000000124000000', value: 3 }],
      },
      {
        name: 'system.cpu.utilization',
        description: '',
        unit: '1',
        kind: 'gauge',
        points: [{ attributes: {}, startTimeUnixNano: '0', timeUnixNano: '1700000000125000000', value: 0.25 }],
      },
    ]);
  });

  it('puts every attribute of the resource on it, volatile ones included, and names the scope healthpipe with its version', () => {
    const request = createOtlpEncoder(protocol).encode([{ series: checkout(777).get(MEMORY), value: 1, time: T }])!;
    const [resource] = decode(request.body);
    expect(resource!.attributes).toEqual({ 'service.name': 'checkout', 'service.instance.id': 'checkout-1', 'process.pid': 777 });
    expect(resource!.scope).toEqual({ name: 'healthpipe', version });
    const named = createOtlpEncoder(protocol, { scopeName: 'agent', scopeVersion: '9.9.9' }).encode([{ series: checkout().get(MEMORY), value: 1, time: T }])!;
    expect(decode(named.body)[0]!.scope).toEqual({ name: 'agent', version: '9.9.9' });
  });

  it('makes one Metric per name, unit and kind in a resource, whichever series or descriptor object the points came by', () => {
    const set = checkout();
    const sameMetricAgain: SeriesDescriptor = { ...MEMORY };
    const points: MetricPoint[] = [
      { series: set.get(MEMORY, { 'process.memory.type': 'rss' }), value: 1, time: T },
      { series: set.get(CPU), value: 2, time: T },
      { series: set.get(MEMORY, { 'process.memory.type': 'virtual' }), value: 3, time: T },
      { series: set.get(sameMetricAgain, { 'process.memory.type': 'swap' }), value: 4, time: T },
      { series: set.get({ ...MEMORY, unit: 'KiBy' }), value: 5, time: T },
    ];
    const [resource] = decode(createOtlpEncoder(protocol).encode(points)!.body);
    expect(resource!.metrics.map((metric) => [metric.name, metric.unit, metric.points.map((point) => point.value)])).toEqual([
      ['process.memory.usage', 'By', [1, 3, 4]],
      ['process.cpu.time', 's', [2]],
      ['process.memory.usage', 'KiBy', [5]],
    ]);
  });

  it('groups the points of a batch by resource, each resource once, in one request', () => {
    const sets = [checkout(1), new SeriesSet(new Resource({ 'service.name': 'cart' })), new SeriesSet(new Resource({ 'service.name': 'search' }))];
    const points: MetricPoint[] = [];
    for (let round = 0; round < 2; round++) for (const [i, set] of sets.entries()) points.push({ series: set.get(MEMORY), value: i * 10 + round, time: T + round });
    const request = createOtlpEncoder(protocol).encode(points)!;
    expect(request.points).toBe(6);
    const resources = decode(request.body);
    expect(resources.map((resource) => resource.attributes['service.name'])).toEqual(['checkout', 'cart', 'search']);
    expect(resources.map((resource) => resource.metrics[0]!.points.map((point) => point.value))).toEqual([
      [0, 1],
      [10, 11],
      [20, 21],
    ]);
  });

  it('concatenates requests into one valid request carrying all their resources and points', () => {
    const encoder = createOtlpEncoder(protocol);
    const first = encoder.encode([{ series: checkout().get(MEMORY), value: 1, time: T }])!;
    const second = encoder.encode([
      { series: new SeriesSet(new Resource({ 'service.name': 'cart' })).get(CPU), value: 2, time: T, startTime: T - 1000 },
      { series: new SeriesSet(new Resource({ 'service.name': 'search' })).get(MEMORY), value: 3, time: T },
    ])!;
    const joined = encoder.concat([first, second]);
    expect(joined.points).toBe(3);
    expect(joined.contentType).toBe(first.contentType);
    expect(decode(joined.body)).toEqual([...decode(first.body), ...decode(second.body)]);
    expect(encoder.concat([first])).toBe(first);
    expect(decode(encoder.concat([]).body)).toEqual([]);
  });

  it('gives a sum without a start time the time it first saw the series, and keeps it', () => {
    const encoder = createOtlpEncoder(protocol);
    const series = checkout().get(CPU);
    const starts = [T, T + 15_000, T - 5_000, T + 30_000].map((time) => {
      const [resource] = decode(encoder.encode([{ series, value: 1, time }])!.body);
      return resource!.metrics[0]!.points[0]!.startTimeUnixNano;
    });
    // An older point than the first seen (out of order) moves the start back: a start never follows its point.
    expect(starts).toEqual([T_NANOS, T_NANOS, '1699999995123000000', '1699999995123000000']);
  });

  it('skips staleness markers, NaN values and histogram points, says how many, and encodes nothing from a batch of only those', () => {
    const skipped: [SkipReason, number][] = [];
    const encoder = createOtlpEncoder(protocol, { onSkipped: (reason, count) => skipped.push([reason, count]) });
    const set = checkout();
    const histogram = set.get({ name: 'http.server.request.duration', unit: 's', kind: 'histogram' });
    expect(encoder.encode([staleMarker(set.get(MEMORY), T)])).toBeUndefined();
    expect(encoder.encode([])).toBeUndefined();
    expect(skipped).toEqual([]);
    const request = encoder.encode([
      staleMarker(set.get(MEMORY), T),
      { series: histogram, value: 0.2, time: T },
      { series: set.get(UTILIZATION), value: Number.NaN, time: T },
      { series: set.get(UTILIZATION), value: Number.NaN, time: T + 1 },
      { series: set.get(CPU), value: 5, time: T },
    ])!;
    expect(request.points).toBe(1);
    expect(skipped).toEqual([
      ['histogram', 1],
      ['nan', 2],
    ]);
    expect(decode(request.body)[0]!.metrics.map((metric) => metric.name)).toEqual(['process.cpu.time']);
  });

  it('writes infinite gauge values', () => {
    const set = checkout();
    const request = createOtlpEncoder(protocol).encode([
      { series: set.get(UTILIZATION, { bound: 'upper' }), value: Number.POSITIVE_INFINITY, time: T },
      { series: set.get(UTILIZATION, { bound: 'lower' }), value: Number.NEGATIVE_INFINITY, time: T },
    ])!;
    expect(decode(request.body)[0]!.metrics[0]!.points.map((point) => point.value)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('carries nothing of one request into the next', () => {
    const encoder = createOtlpEncoder(protocol);
    const set = checkout();
    encoder.encode([
      { series: set.get(MEMORY), value: 1, time: T },
      { series: set.get(CPU), value: 2, time: T },
    ]);
    const [resource] = decode(encoder.encode([{ series: set.get(MEMORY, { other: true }), value: 3, time: T + 1 }])!.body);
    expect(resource!.metrics).toHaveLength(1);
    expect(resource!.metrics[0]!.points).toEqual([{ attributes: { other: true }, startTimeUnixNano: '0', timeUnixNano: '1700000000124000000', value: 3 }]);
  });
});

describe('OTLP/JSON', () => {
  it('is the protobuf mapping: camelCase keys, nanosecond timestamps as strings, infinities as strings', () => {
    const set = checkout();
    const request = createOtlpEncoder('http/json').encode([
      { series: set.get(CPU, { 'cpu.mode': 'user' }), value: 1.5, time: T, startTime: T - 60_000 },
      { series: set.get(UTILIZATION), value: Number.POSITIVE_INFINITY, time: T },
    ])!;
    const parsed = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
    const metrics = (parsed as { resourceMetrics: { scopeMetrics: { metrics: Record<string, unknown>[] }[] }[] }).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(metrics[0]).toMatchObject({
      name: 'process.cpu.time',
      unit: 's',
      sum: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: [{ attributes: [{ key: 'cpu.mode', value: { stringValue: 'user' } }], startTimeUnixNano: '1699999940123000000', timeUnixNano: T_NANOS, asDouble: 1.5 }],
      },
    });
    expect(metrics[1]).toMatchObject({ gauge: { dataPoints: [{ asDouble: 'Infinity' }] } });
    expect(Object.keys(parsed)).toEqual(['resourceMetrics']);
  });

  it('merges requests written elsewhere by their resourceMetrics too', () => {
    const encoder = createOtlpEncoder('http/json');
    const ours = encoder.encode([{ series: checkout().get(MEMORY), value: 1, time: T }])!;
    const foreign = { body: new TextEncoder().encode(' { "resourceMetrics": [ ] } '), points: 0, contentType: 'application/json' };
    const merged = encoder.concat([ours, foreign, ours]);
    expect(merged.points).toBe(2);
    expect(decodeJson(merged.body)).toEqual([...decodeJson(ours.body), ...decodeJson(ours.body)]);
  });
});
