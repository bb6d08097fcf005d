import { describe, expect, it } from 'vitest';
import { PrefixMirror } from '../../../../receivers/registry/etcd/prefix-mirror.js';

function kv(key: string, value: string, revision: number) {
  return { key: Buffer.from(key), value: Buffer.from(value), mod_revision: String(revision) };
}

const api = (port: number) => JSON.stringify({ service: 'api', port });

describe('PrefixMirror', () => {
  it('keeps when an unchanged key was seen across a fresh read, and counts a changed one as seen now', () => {
    const mirror = new PrefixMirror('/services/');
    mirror.load([kv('/services/a', api(1), 5), kv('/services/b', api(2), 6)], 6n, 1_000);
    mirror.load([kv('/services/a', api(1), 5), kv('/services/b', api(3), 9)], 9n, 2_000);
    expect(mirror.entries().map((entry) => [entry.id, entry.seenAt])).toEqual([
      ['a', 1_000],
      ['b', 2_000],
    ]);
    expect(mirror.revision).toBe(9n);
  });

  it('passes over events it already holds, and takes every event of one transaction', () => {
    const mirror = new PrefixMirror('/services/');
    mirror.load([kv('/services/a', api(1), 5), kv('/services/b', api(2), 6)], 6n, 0);
    const changed = mirror.apply(
      [
        { type: 'PUT', kv: kv('/services/a', api(7), 6) },
        { type: 'DELETE', kv: kv('/services/a', '', 7) },
        { type: 'DELETE', kv: kv('/services/b', '', 7) },
      ],
      10,
    );
    expect(changed).toBe(true);
    expect(mirror.entries()).toEqual([]);
    expect(mirror.revision).toBe(7n);
    expect(mirror.apply([{ type: 'PUT', kv: kv('/services/a', api(1), 7) }], 20)).toBe(false);
  });

  it('moves to a progress notification revision, never back', () => {
    const mirror = new PrefixMirror('/services/');
    mirror.load([], 4n, 0);
    mirror.reached(8n);
    mirror.reached(6n);
    expect(mirror.revision).toBe(8n);
  });
});
