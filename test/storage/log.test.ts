import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';

describe('append log', () => {
  let store: Store;
  afterEach(() => store.close());

  function openLog(component = 'alertmanager', namespace = 'outbox') {
    return store.component(component).log(namespace);
  }

  it('appends in order and returns increasing sequence numbers', () => {
    store = openStore(':memory:');
    const log = openLog();
    const seqs = log.append(['a', 'b', 'c'], 1000);
    expect(seqs).toHaveLength(3);
    expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
    expect(log.append([], 1000)).toEqual([]);
    const more = log.append([{ n: 4 }], 2000);
    expect(more[0]! > seqs[2]!).toBe(true);
    expect(log.read().map((r) => [r.value, r.time])).toEqual([
      ['a', 1000],
      ['b', 1000],
      ['c', 1000],
      [{ n: 4 }, 2000],
    ]);
    expect(log.size()).toBe(4);
  });

  it('reads after a sequence number, with a limit', () => {
    store = openStore(':memory:');
    const log = openLog();
    const seqs = log.append([1, 2, 3, 4, 5], 0);
    expect(log.read(seqs[1], 2).map((r) => r.value)).toEqual([3, 4]);
    expect(log.read(seqs[4]).map((r) => r.value)).toEqual([]);
    expect(log.read(0, 1).map((r) => r.seq)).toEqual([seqs[0]]);
  });

  it('acks everything up to a sequence number and removes chosen records', () => {
    store = openStore(':memory:');
    const log = openLog();
    const seqs = log.append(['a', 'b', 'c', 'd', 'e'], 0);
    log.ack(seqs[1]!);
    expect(log.read().map((r) => r.value)).toEqual(['c', 'd', 'e']);
    log.remove([seqs[3]!, seqs[4]!]);
    expect(log.read().map((r) => r.value)).toEqual(['c']);
    log.remove([]);
    expect(log.size()).toBe(1);
  });

  it('trims the oldest records down to a maximum', () => {
    store = openStore(':memory:');
    const log = openLog();
    log.append([1, 2, 3, 4, 5], 0);
    expect(log.trim(10)).toBe(0);
    expect(log.trim(2)).toBe(3);
    expect(log.read().map((r) => r.value)).toEqual([4, 5]);
    expect(log.trim(0)).toBe(2);
    expect(log.size()).toBe(0);
  });

  it('never reuses a sequence number after the log was emptied', () => {
    store = openStore(':memory:');
    const log = openLog();
    const [first] = log.append(['a'], 0);
    log.ack(first!);
    const [second] = log.append(['b'], 0);
    expect(second! > first!).toBe(true);
  });

  it('keeps logs of different components and namespaces apart', () => {
    store = openStore(':memory:');
    const a = openLog('otlp', 'queue');
    const b = openLog('otlp/backup', 'queue');
    const c = openLog('otlp', 'other');
    a.append(['a1', 'a2'], 0);
    b.append(['b1'], 0);
    c.append(['c1'], 0);
    expect(a.size()).toBe(2);
    expect(b.read().map((r) => r.value)).toEqual(['b1']);
    expect(a.trim(0)).toBe(2);
    a.ack(Number.MAX_SAFE_INTEGER);
    expect(b.size()).toBe(1);
    expect(c.size()).toBe(1);
  });

  it('appends a large batch in one transaction', () => {
    store = openStore(':memory:');
    const log = openLog();
    const values = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    const seqs = log.append(values, 5);
    expect(seqs).toHaveLength(10_000);
    expect(log.size()).toBe(10_000);
    expect(log.read(seqs[9_998]).map((r) => r.value)).toEqual([{ i: 9_999 }]);
  });
});
