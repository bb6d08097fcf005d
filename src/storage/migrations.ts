import type Database from 'better-sqlite3';
import { HealthpipeError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * The schema's history, oldest first. Never edit a released migration: append a new one, so
 * every store on disk reaches the same schema by the same steps.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'scopes, key-value state and append logs',
    // A scope is one (component, namespace) pair; kv and log rows carry its integer id so the
    // hot indexes stay small. AUTOINCREMENT keeps sequence numbers from ever being reused, even
    // after a log was emptied, so a consumer's cursor can never point at a newer record.
    sql: `
      CREATE TABLE scope (
        id INTEGER PRIMARY KEY,
        component TEXT NOT NULL,
        namespace TEXT NOT NULL,
        UNIQUE (component, namespace)
      );
      CREATE TABLE kv (
        scope INTEGER NOT NULL REFERENCES scope (id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;
      CREATE TABLE log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        scope INTEGER NOT NULL REFERENCES scope (id),
        time INTEGER NOT NULL,
        value TEXT NOT NULL
      );
      CREATE INDEX log_by_scope ON log (scope, seq);
    `,
  },
  {
    version: 2,
    description: 'versions of the tables components own',
    sql: `
      CREATE TABLE component_schema (
        owner TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to SCHEMA_VERSION; returns the version reached. Each migration runs in
 * its own IMMEDIATE transaction together with its `user_version` bump, and the version is
 * re-read inside it, so two processes opening the same new file cannot both migrate it.
 */
export function migrate(db: Database.Database, path: string): number {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new HealthpipeError(
      'STORAGE',
      `store ${path} has schema version ${found}, newer than this healthpipe knows (${SCHEMA_VERSION}); ` +
        'upgrade healthpipe or point service.data_dir at another directory',
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= found) continue;
    const step = db.transaction(() => {
      if (userVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return userVersion(db);
}
