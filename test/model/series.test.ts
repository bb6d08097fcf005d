import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet } from '../../src/model/series.js';

const CPU_TIME = { name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true } as const;

describe('Series', () => {
  const set = new SeriesSet(new Resource({ 'service.name': 'api', 'process.pid': 7 }));

  it('is interned: the same descriptor and attributes give the same object, whatever the key order', () => {
    const a = set.get(CPU_TIME, { 'cpu.mode': 'user', core: 1 });
    const b = set.get(CPU_TIME, { core: 1, 'cpu.mode': 'user' });
    expect(b).toBe(a);
    expect(set.get(CPU_TIME, { 'cpu.mode': 'system', core: 1 })).not.toBe(a);
    expect(a.key).toBe('"process.cpu.time"{"core":1,"cpu.mode":"user"}@{"process.pid":7,"service.name":"api"}');
  });

  it('derives a series with one more attribute once, as another kind when asked', () => {
    const base = set.get(CPU_TIME, { 'cpu.mode': 'user' });
    const mean = base.with('aggregate', 'mean', 'gauge');
    expect(base.with('aggregate', 'mean', 'gauge')).toBe(mean);
    expect(mean).toMatchObject({ name: 'process.cpu.time', unit: 's', kind: 'gauge', monotonic: false, resource: base.resource });
    expect(mean.attributes).toEqual({ 'cpu.mode': 'user', aggregate: 'mean' });
    expect(base.with('aggregate', 'mean')).not.toBe(mean);
    expect(base.with('aggregate', 'mean').kind).toBe('sum');
    expect(base.with('aggregate', 'max', 'gauge').descriptor).toBe(mean.descriptor);
  });

  it('tells apart series derived by different attributes with the same value', () => {
    const base = set.get(CPU_TIME, { 'cpu.mode': 'user' });
    const byB = base.with('b', 'x');
    const byA = base.with('a', 'x');
    expect(byA).not.toBe(byB);
    expect(byA.attributes).toEqual({ 'cpu.mode': 'user', a: 'x' });
    // Overwriting an attribute the series already has is a derivation too.
    expect(base.with('cpu.mode', 'user').attributes).toEqual({ 'cpu.mode': 'user' });
  });

  it('shares one descriptor among the series of a metric', () => {
    expect(set.get(CPU_TIME, { 'cpu.mode': 'user' }).descriptor).toBe(set.get(CPU_TIME, { 'cpu.mode': 'system' }).descriptor);
  });
});
