import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TableMigration } from '../../src/component/storage.js';
import { HealthpipeError } from '../../src/errors.js';
import { openDataStore, openReadOnlyStore, SCHEMA_VERSION, STORE_FILE_NAME } from '../../src/storage/index.js';

const NOTES: TableMigration[] = [
  { version: 1, description: 'notes', sql: 'CREATE TABLE notes_entry (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' },
];

function storageError(open: () => unknown): HealthpipeError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(HealthpipeError);
    expect((error as HealthpipeError).code).toBe('STORAGE');
    return error as HealthpipeError;
  }
  throw new Error('expected a STORAGE error');
}

describe('read-only store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-read-only-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says there is no store yet, and creates neither the directory nor the file', () => {
    const dataDir = join(dir, 'data');
    const error = storageError(() => openReadOnlyStore(dataDir));
    expect(error.message).toBe(`no store at ${dataDir}: has an agent with this data_dir run?`);
    expect(existsSync(dataDir)).toBe(false);
    storageError(() => openReadOnlyStore(dir));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads what a running agent writes, beside it, and sees its later commits', () => {
    const agent = openDataStore(dir);
    const notes = agent.component('notes').tables('notes', NOTES);
    notes.prepare("INSERT INTO notes_entry (text) VALUES ('first')").run();
    const reader = openReadOnlyStore(dir, { tables: { notes: NOTES } });
    const count = (): number => reader.db.prepare<[], number>('SELECT count(*) FROM notes_entry').pluck().get()!;
    expect(count()).toBe(1);
    notes.prepare("INSERT INTO notes_entry (text) VALUES ('second')").run();
    expect(count()).toBe(2);
    expect(reader.version).toBe(SCHEMA_VERSION);
    expect(reader.tables('notes')).toEqual({ version: 1, known: 1 });
    reader.close();
    agent.close();
  });

  it('never writes: the connection refuses it, and nothing is migrated', () => {
    const agent = openDataStore(dir);
    agent.close();
    const reader = openReadOnlyStore(dir, { tables: { notes: NOTES } });
    expect(() => reader.db.exec('CREATE TABLE notes_entry (id INTEGER)')).toThrow(/readonly/);
    expect(reader.tables('notes')).toEqual({ version: 0, known: 1 });
    reader.close();
    const raw = new Database(join(dir, STORE_FILE_NAME), { readonly: true });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'notes_entry'").get()).toBeUndefined();
    raw.close();
  });

  it('gives one snapshot inside read()', () => {
    const agent = openDataStore(dir);
    const notes = agent.component('notes').tables('notes', NOTES);
    const reader = openReadOnlyStore(dir, { tables: { notes: NOTES } });
    const count = (): number => reader.db.prepare<[], number>('SELECT count(*) FROM notes_entry').pluck().get()!;
    const seen = reader.read(() => {
      const before = count();
      notes.prepare("INSERT INTO notes_entry (text) VALUES ('meanwhile')").run();
      return [before, count()];
    });
    expect(seen).toEqual([0, 0]);
    expect(count()).toBe(1);
    reader.close();
    agent.close();
  });

  it('refuses a file whose core schema is newer than this binary', () => {
    const raw = new Database(join(dir, STORE_FILE_NAME));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = storageError(() => openReadOnlyStore(dir));
    expect(error.message).toContain(`has schema version ${SCHEMA_VERSION + 1}, newer than this healthpipe knows (${SCHEMA_VERSION})`);
    expect(error.message).toContain('written by a newer healthpipe');
  });

  it("refuses a file whose owner's tables are newer than this binary's migrations for them", () => {
    const agent = openDataStore(dir);
    agent.component('notes').tables('notes', [...NOTES, { version: 2, description: 'more', sql: 'ALTER TABLE notes_entry ADD COLUMN time INTEGER' }]);
    agent.close();
    const error = storageError(() => openReadOnlyStore(dir, { tables: { notes: NOTES } }));
    expect(error.message).toContain('the notes tables of store');
    expect(error.message).toContain('have version 2, newer than this healthpipe knows (1)');
    // An owner the reader does not ask about does not matter.
    openReadOnlyStore(dir).close();
  });

  it('reads a file older than this binary as it is: its missing tables are version 0', () => {
    const raw = new Database(join(dir, STORE_FILE_NAME));
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE scope (id INTEGER PRIMARY KEY, component TEXT, namespace TEXT)');
    raw.pragma('user_version = 1');
    raw.close();
    const reader = openReadOnlyStore(dir, { tables: { notes: NOTES } });
    expect(reader.version).toBe(1);
    expect(reader.tables('notes')).toEqual({ version: 0, known: 1 });
    reader.close();
    const again = new Database(join(dir, STORE_FILE_NAME), { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    again.close();
  });

  it('says so when the file is not a store', () => {
    writeFileSync(join(dir, STORE_FILE_NAME), 'not a database, just text that is long enough to have a header '.repeat(20));
    const error = storageError(() => openReadOnlyStore(dir));
    expect(error.message).toMatch(/^cannot read store .*healthpipe\.db: file is not a database/);
  });
});
