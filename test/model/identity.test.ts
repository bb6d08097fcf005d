import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet } from '../../src/model/series.js';

const CPU = { name: 'process.cpu.utilization', unit: '1', kind: 'gauge' } as const;
const VOLATILE = ['process.pid', 'process.creation.time'];

/** What a single-process target makes for one run of its process. */
function instanceRun(pid: number, started: string): Resource {
  return new Resource({ 'service.name': 'api', 'service.instance.id': 'host-a:pid_file /run/api.pid', 'process.pid': pid, 'process.creation.time': started }, { volatile: VOLATILE });
}

describe('series identity', () => {
  it('survives a restart: a new SeriesSet and Resource for a new process of the same instance give the same key', () => {
    const before = new SeriesSet(instanceRun(100, '2024-01-01T00:00:00.000Z')).get(CPU, { core: 0 });
    const after = new SeriesSet(instanceRun(200, '2024-01-02T00:00:00.000Z')).get(CPU, { core: 0 });
    expect(after).not.toBe(before);
    expect(after.key).toBe(before.key);
    expect(after.resource.identity).toBe(before.resource.identity);
    // The volatile attributes still describe the point.
    expect(after.resource.attributes['process.pid']).toBe(200);
    expect(after.resource.identifyingAttributes).toEqual({ 'service.name': 'api', 'service.instance.id': 'host-a:pid_file /run/api.pid' });
    expect(after.resource.isVolatile('process.pid')).toBe(true);
    expect(after.resource.isVolatile('service.name')).toBe(false);
    expect(after.resource.isVolatile('toString')).toBe(false);
  });

  it('is identified by every attribute of a resource made without options, as a plugin makes it', () => {
    const attributes = { 'service.name': 'api', 'process.pid': 100 };
    const resource = new Resource(attributes);
    expect(resource.identifyingAttributes).toBe(attributes);
    expect(new Resource({ 'service.name': 'api', 'process.pid': 101 }).identity).not.toBe(resource.identity);
    expect(new SeriesSet(resource).get(CPU).key).toBe(new SeriesSet(new Resource({ 'process.pid': 100, 'service.name': 'api' })).get(CPU).key);
  });

  it('tells apart the processes a multi-process target matches, and a reused PID', () => {
    const oneProcess = (pid: number, started: string) => new Resource({ 'service.name': 'worker', 'process.pid': pid, 'process.creation.time': started });
    const a = new SeriesSet(oneProcess(100, '2024-01-01T00:00:00.000Z')).get(CPU);
    const b = new SeriesSet(oneProcess(101, '2024-01-01T00:00:00.000Z')).get(CPU);
    const reused = new SeriesSet(oneProcess(100, '2024-01-03T00:00:00.000Z')).get(CPU);
    expect(new Set([a.key, b.key, reused.key]).size).toBe(3);
  });

  it('escapes attributes: a separator inside a value cannot forge a second attribute', () => {
    const resource = new Resource({ 'service.name': 'api' });
    const set = new SeriesSet(resource);
    const forged = set.get(CPU, { a: '1;b=2' });
    const two = set.get(CPU, { a: '1', b: '2' });
    expect(forged).not.toBe(two);
    expect(forged.key).not.toBe(two.key);
    expect(set.get(CPU, { a: '1",b:"2' }).key).not.toBe(set.get(CPU, { a: '1', b: '2' }).key);
    expect(set.get(CPU, { 'a=1;b': '2' }).key).not.toBe(set.get(CPU, { a: '1', b: '2' }).key);
    expect(new Resource({ a: '1;b=2' }).identity).not.toBe(new Resource({ a: '1', b: '2' }).identity);
    // A metric name cannot swallow the attributes either.
    expect(set.get({ ...CPU, name: 'cpu{"a":"1"}' }).key).not.toBe(set.get({ ...CPU, name: 'cpu' }, { a: '1' }).key);
  });

  it('keeps the type of a value: 1, "1" and true are three series', () => {
    const set = new SeriesSet(new Resource({ 'service.name': 'api' }));
    const keys = [set.get(CPU, { a: 1 }), set.get(CPU, { a: '1' }), set.get(CPU, { a: true }), set.get(CPU, { a: 'true' })].map((s) => s.key);
    expect(new Set(keys).size).toBe(4);
    expect(new Set([set.get(CPU, { a: 1 }), set.get(CPU, { a: '1' })]).size).toBe(2);
  });
});

describe('Series.with', () => {
  it('derives many values from one series in linear time, still memoised', () => {
    const base = new SeriesSet(new Resource({ 'service.name': 'api' })).get(CPU);
    const count = 50_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) base.with('bucket', i);
    // A list scanned per call takes count² / 2 ≈ 1.3·10⁹ steps (about 17 s here); a map, a
    // fraction of a second. The bound is generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5_000);
    // Derived before and after the list turned into a map: both still come back as the same object.
    expect(base.with('bucket', 3)).toBe(base.with('bucket', 3));
    expect(base.with('bucket', 40_000)).toBe(base.with('bucket', 40_000));
    expect(base.with('bucket', 3).attributes).toEqual({ bucket: 3 });
    expect(base.with('bucket', '3')).not.toBe(base.with('bucket', 3));
    expect(base.with('bucket', 3, 'sum')).not.toBe(base.with('bucket', 3));
    expect(base.with('other', 3)).not.toBe(base.with('bucket', 3));
  });
});
