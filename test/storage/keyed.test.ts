import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';

describe('keyed storage', () => {
  let store: Store;
  afterEach(() => store.close());

  it('gets, sets, overwrites and deletes JSON values', () => {
    store = openStore(':memory:');
    const kv = store.component('cooldown').keyed('state');
    expect(kv.get('a')).toBeUndefined();
    kv.set('a', { level: 'error', until: 1_700_000_000_000, tags: ['x'] });
    expect(kv.get('a')).toEqual({ level: 'error', until: 1_700_000_000_000, tags: ['x'] });
    kv.set('a', 42);
    expect(kv.get<number>('a')).toBe(42);
    kv.delete('a');
    expect(kv.get('a')).toBeUndefined();
    kv.delete('never-there');
  });

  it('stores a value JSON cannot represent as null', () => {
    store = openStore(':memory:');
    const kv = store.component('c').keyed('n');
    kv.set('u', undefined);
    expect(kv.get('u')).toBeNull();
  });

  it('lists entries in key order and clears them', () => {
    store = openStore(':memory:');
    const kv = store.component('c').keyed('n');
    kv.set('b', 2);
    kv.set('a', 1);
    kv.set('c', 3);
    expect(kv.entries()).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    kv.clear();
    expect(kv.entries()).toEqual([]);
  });

  it('scopes keys by component and namespace', () => {
    store = openStore(':memory:');
    const first = store.component('cooldown/a').keyed('state');
    const second = store.component('cooldown/b').keyed('state');
    const otherNamespace = store.component('cooldown/a').keyed('silences');
    first.set('k', 'first');
    second.set('k', 'second');
    otherNamespace.set('k', 'other');
    expect(first.get('k')).toBe('first');
    expect(second.get('k')).toBe('second');
    expect(otherNamespace.get('k')).toBe('other');

    second.clear();
    expect(first.entries()).toEqual([['k', 'first']]);
    expect(second.entries()).toEqual([]);
  });

  it('shares state between two handles on the same scope', () => {
    store = openStore(':memory:');
    store.component('c').keyed('n').set('k', true);
    expect(store.component('c').keyed('n').get('k')).toBe(true);
  });
});
