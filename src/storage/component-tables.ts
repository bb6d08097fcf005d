import type Database from 'better-sqlite3';
import type { TableMigration } from '../component/storage.js';
import { HealthpipeError } from '../errors.js';

const OWNER = /^[a-z][a-z0-9_]*$/;

function ownerVersion(db: Database.Database, owner: string): number {
  const row = db.prepare<[string], number>('SELECT version FROM component_schema WHERE owner = ?').pluck().get(owner);
  return row ?? 0;
}

/**
 * Brings the tables of one owner to the newest of its migrations; as the core's `migrate`,
 * each step runs in its own IMMEDIATE transaction and re-reads the version inside it, so two
 * connections migrating at once cannot both run a step.
 */
export function migrateComponentTables(db: Database.Database, owner: string, migrations: readonly TableMigration[]): number {
  if (!OWNER.test(owner)) throw new HealthpipeError('STORAGE', `table owner "${owner}" must be lower_snake_case`);
  const newest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
  const found = ownerVersion(db, owner);
  if (found > newest) {
    throw new HealthpipeError(
      'STORAGE',
      `the ${owner} tables of this store have version ${found}, newer than this healthpipe knows (${newest}); ` +
        'upgrade healthpipe or point service.data_dir at another directory',
    );
  }
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      if (ownerVersion(db, owner) >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO component_schema (owner, version) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET version = excluded.version').run(
        owner,
        migration.version,
      );
    }).immediate();
  }
  return ownerVersion(db, owner);
}
