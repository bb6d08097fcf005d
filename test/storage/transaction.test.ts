import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';

const WRITER = join(import.meta.dirname, 'fixtures', 'transaction-writer.mjs');

describe('storage transaction', () => {
  let store: Store;
  afterEach(() => store.close());

  it('commits keyed state and log appends together and returns the result', () => {
    store = openStore(':memory:');
    const storage = store.component('cooldown');
    const result = storage.transaction(() => {
      storage.keyed('state').set('api:error', { notified: 1 });
      return storage.log('outbox').append(['firing'], 1);
    });
    expect(result).toHaveLength(1);
    expect(storage.keyed('state').get('api:error')).toEqual({ notified: 1 });
    expect(storage.log('outbox').read().map((record) => record.value)).toEqual(['firing']);
  });

  it('rolls back both the state and the log when the function throws, and rethrows', () => {
    store = openStore(':memory:');
    const storage = store.component('cooldown');
    storage.keyed('state').set('api:error', { notified: 0 });
    const boom = new Error('decided, then failed');
    expect(() =>
      storage.transaction(() => {
        storage.keyed('state').set('api:error', { notified: 1 });
        storage.log('outbox').append(['firing', 'again'], 1);
        storage.log('outbox').remove([1]);
        throw boom;
      }),
    ).toThrow(boom);
    expect(storage.keyed('state').get('api:error')).toEqual({ notified: 0 });
    expect(storage.log('outbox').size()).toBe(0);
  });

  it('joins a nested call to the outer transaction, across components of one store', () => {
    store = openStore(':memory:');
    const cooldown = store.component('cooldown');
    const sink = store.component('alertmanager');
    expect(() =>
      cooldown.transaction(() => {
        cooldown.keyed('state').set('k', 1);
        // What a synchronous downstream exporter does while the cooldown emits.
        sink.transaction(() => sink.log('outbox').append(['firing'], 1));
        throw new Error('the outer one fails');
      }),
    ).toThrow('the outer one fails');
    expect(cooldown.keyed('state').get('k')).toBeUndefined();
    expect(sink.log('outbox').size()).toBe(0);

    cooldown.transaction(() => {
      cooldown.keyed('state').set('k', 2);
      sink.transaction(() => sink.log('outbox').append(['firing'], 1));
    });
    expect(cooldown.keyed('state').get('k')).toBe(2);
    expect(sink.log('outbox').size()).toBe(1);
  });

  it('refuses an asynchronous function instead of committing before it ends', () => {
    store = openStore(':memory:');
    const storage = store.component('cooldown');
    expect(() => storage.transaction((async () => undefined) as () => unknown)).toThrow();
  });
});

describe('storage transaction under SIGKILL', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-transaction-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts the writer, lets it commit for `ms` after its first commits, then SIGKILLs it. */
  async function writeThenKill(path: string, ms: number): Promise<void> {
    const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, ms));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
  }

  it('leaves state and log in agreement wherever the kill lands', async () => {
    const path = join(dir, 'healthpipe.db');
    let previous = 0;
    for (let run = 0; run < 8; run += 1) {
      await writeThenKill(path, 5 + Math.floor(Math.random() * 60));
      const reopened = openStore(path);
      const storage = reopened.component('cooldown');
      const count = storage.keyed('state').get<number>('count') ?? 0;
      const values = storage.log('outbox').read<number>().map((record) => record.value);
      reopened.close();
      // Every committed decision has its outbox record, and no record lacks its decision.
      expect(values).toHaveLength(count);
      expect(values.every((value, index) => value === index + 1)).toBe(true);
      // Each run carries on from the last: nothing committed was lost by the kill.
      expect(count).toBeGreaterThan(previous);
      previous = count;
    }
  }, 60_000);
});
