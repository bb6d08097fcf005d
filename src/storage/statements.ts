import type Database from 'better-sqlite3';

interface LogRow {
  seq: number;
  time: number;
  value: string;
}

/**
 * Every statement the store runs, prepared once per database and shared by all scopes: the
 * outbox and export queues hit these on every batch, so nothing is re-parsed on the hot path.
 */
type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

export interface Statements {
  readonly scopeInsert: Statement<[string, string]>;
  readonly scopeId: Statement<[string, string], number>;
  readonly kvGet: Statement<[number, string], string>;
  readonly kvSet: Statement<[number, string, string]>;
  readonly kvDelete: Statement<[number, string]>;
  readonly kvEntries: Statement<[number], [string, string]>;
  readonly kvClear: Statement<[number]>;
  readonly logAppend: Statement<[number, number, string]>;
  readonly logRead: Statement<[number, number, number], LogRow>;
  readonly logAck: Statement<[number, number]>;
  readonly logRemove: Statement<[number, number]>;
  readonly logSize: Statement<[number], number>;
  readonly logTrim: Statement<[number, number, number]>;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    scopeInsert: db.prepare<[string, string]>('INSERT OR IGNORE INTO scope (component, namespace) VALUES (?, ?)'),
    scopeId: db
      .prepare<[string, string], number>('SELECT id FROM scope WHERE component = ? AND namespace = ?')
      .pluck(),

    kvGet: db.prepare<[number, string], string>('SELECT value FROM kv WHERE scope = ? AND key = ?').pluck(),
    kvSet: db.prepare<[number, string, string]>(
      'INSERT INTO kv (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value',
    ),
    kvDelete: db.prepare<[number, string]>('DELETE FROM kv WHERE scope = ? AND key = ?'),
    kvEntries: db
      .prepare<[number], [string, string]>('SELECT key, value FROM kv WHERE scope = ? ORDER BY key')
      .raw(),
    kvClear: db.prepare<[number]>('DELETE FROM kv WHERE scope = ?'),

    logAppend: db.prepare<[number, number, string]>('INSERT INTO log (scope, time, value) VALUES (?, ?, ?)'),
    // LIMIT -1 is SQLite's "no limit".
    logRead: db.prepare<[number, number, number], LogRow>(
      'SELECT seq, time, value FROM log WHERE scope = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    logAck: db.prepare<[number, number]>('DELETE FROM log WHERE scope = ? AND seq <= ?'),
    logRemove: db.prepare<[number, number]>('DELETE FROM log WHERE scope = ? AND seq = ?'),
    logSize: db.prepare<[number], number>('SELECT count(*) FROM log WHERE scope = ?').pluck(),
    // Deletes everything up to the (max+1)-th newest record; with fewer records the
    // subquery is NULL and nothing matches.
    logTrim: db.prepare<[number, number, number]>(
      'DELETE FROM log WHERE scope = ? AND seq <= (SELECT seq FROM log WHERE scope = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
    ),
  };
}
