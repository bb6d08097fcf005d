import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, JOURNAL_SIZE_LIMIT_BYTES, openStore, type Store } from '../../src/storage/store.js';
import { Programs } from '../helpers/programs.js';

/**
 * Another process on the store's file, as `healthpipe status` or a sqlite3 shell would be:
 * `read` holds a read transaction open (a snapshot), `write` holds the write lock.
 */
const HOLDER = `
// node -e script -- a b: the arguments start at argv[1].
const [driver, path, mode] = process.argv.slice(1);
const Database = require(driver);
const db = new Database(path, { readonly: mode === 'read' });
if (mode === 'read') {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
} else {
  db.exec('BEGIN IMMEDIATE');
}
console.log(JSON.stringify({ holding: mode }));
setInterval(() => {}, 60000);
`;
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** A loaded 2-core machine may stall a write for a while; a busy wait of seconds is what must not happen. */
const LOOSE_WRITE_MS = 2000;

describe('the store beside other processes', () => {
  let dir: string;
  let path: string;
  let store: Store | undefined;
  const programs = new Programs();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-store-concurrent-'));
    path = join(dir, 'healthpipe.db');
  });
  afterEach(async () => {
    await programs.stopAll();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function hold(mode: 'read' | 'write'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = programs.startNode(HOLDER, [DRIVER, path, mode], () => resolve());
      child.once('exit', (code) => reject(new Error(`the ${mode} holder exited with ${code}`)));
    });
  }

  /** Appends `bytes` in transactions of 256 KiB; the slowest write's duration. */
  function write(target: Store, bytes: number): number {
    const log = target.component('history').log('points');
    const chunk = 'x'.repeat(256 * 1024);
    let slowest = 0;
    for (let written = 0; written < bytes; written += chunk.length) {
      const started = performance.now();
      log.append([chunk], written);
      slowest = Math.max(slowest, performance.now() - started);
    }
    return slowest;
  }

  const walSize = (): number => statSync(`${path}-wal`).size;

  it('writes on without waiting while a reader holds a snapshot, and cuts the WAL back once the reader is gone', async () => {
    store = openStore(path);
    store.component('history').log('points').append(['first'], 0);
    await hold('read');

    // More than the limit: the checkpoints cannot pass the reader's snapshot, so the WAL grows.
    expect(write(store, JOURNAL_SIZE_LIMIT_BYTES + 4 * 1024 * 1024)).toBeLessThan(LOOSE_WRITE_MS);
    expect(walSize()).toBeGreaterThan(JOURNAL_SIZE_LIMIT_BYTES);

    await programs.stopAll();
    // Two checkpoint cycles' worth: one empties the WAL, the next write starts it over and cuts the file.
    write(store, 10 * 1024 * 1024);
    expect(walSize()).toBeLessThanOrEqual(JOURNAL_SIZE_LIMIT_BYTES);
  });

  it('gives up on a stray writer’s lock after a short wait, with SQLITE_BUSY, instead of holding the event loop for seconds', async () => {
    store = openStore(path);
    await hold('write');
    const keyed = store.component('cooldown').keyed('alerts');
    const started = performance.now();
    expect(() => keyed.set('api/latency', { level: 'error' })).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS * 0.8);
    expect(waited).toBeLessThan(LOOSE_WRITE_MS);

    await programs.stopAll();
    keyed.set('api/latency', { level: 'error' });
    expect(keyed.get('api/latency')).toEqual({ level: 'error' });
  });
});
