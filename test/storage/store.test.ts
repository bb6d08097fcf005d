import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HealthpipeError } from '../../src/errors.js';
import { openDataStore, openStore, SCHEMA_VERSION, STORE_FILE_NAME } from '../../src/storage/index.js';

describe('store file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing parent directories and migrates to the current schema', () => {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    const store = openStore(path);
    expect(existsSync(path)).toBe(true);
    expect(store.version).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    store.close();
  });

  it('opens <dataDir>/healthpipe.db', () => {
    const store = openDataStore(join(dir, 'data'));
    store.close();
    expect(existsSync(join(dir, 'data', STORE_FILE_NAME))).toBe(true);
  });

  it('keeps state across a restart', () => {
    const path = join(dir, 'healthpipe.db');
    const before = openStore(path);
    before.component('cooldown').keyed('state').set('api:error', { until: 123 });
    const seqs = before.component('alertmanager').log('outbox').append(['firing', 'resolved'], 10);
    before.close();

    const after = openStore(path);
    expect(after.component('cooldown').keyed('state').get('api:error')).toEqual({ until: 123 });
    const outbox = after.component('alertmanager').log('outbox');
    expect(outbox.read().map((r) => [r.seq, r.value])).toEqual([
      [seqs[0], 'firing'],
      [seqs[1], 'resolved'],
    ]);
    const [next] = outbox.append(['again'], 20);
    expect(next! > seqs[1]!).toBe(true);
    after.close();
  });

  it('applies migrations once: opening twice keeps the data and the version', () => {
    const path = join(dir, 'healthpipe.db');
    const first = openStore(path);
    first.component('c').keyed('n').set('k', 1);
    const second = openStore(path);
    expect(second.version).toBe(first.version);
    expect(second.component('c').keyed('n').get('k')).toBe(1);
    second.close();
    first.close();
    const third = openStore(path);
    expect(third.version).toBe(SCHEMA_VERSION);
    third.close();
  });

  it('puts a file store in WAL mode', () => {
    const path = join(dir, 'healthpipe.db');
    // WAL is recorded in the file itself, so a second connection sees it.
    const store = openStore(path);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    store.close();
  });

  it('refuses a file written by a newer schema with a STORAGE error', () => {
    const path = join(dir, 'healthpipe.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let caught: unknown;
    try {
      openStore(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HealthpipeError);
    expect((caught as HealthpipeError).code).toBe('STORAGE');
    expect((caught as HealthpipeError).message).toContain(`schema version ${SCHEMA_VERSION + 1}, newer`);
  });

  it('reports a file that is not a database as a STORAGE error', () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'this is not sqlite, just some text that is long enough to have a header'.repeat(20));
    expect(() => openStore(path)).toThrow(expect.objectContaining({ code: 'STORAGE' }) as Error);
  });
});
