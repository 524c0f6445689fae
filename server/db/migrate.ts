/**
 * Applies `migrations/NNN_name.sql` in order, each in its own transaction holding a transaction-level
 * advisory lock, and records it in `finch_migrations`. Two processes starting together on an empty
 * database queue on the lock; the second finds the migration recorded and skips it (two processes, one database).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ScriptDb } from './ScriptDb.js';

/** An arbitrary constant ("finch" in ASCII) shared by every Finch process. */
const MIGRATION_LOCK = 0x66696e6368;

/** Where the .sql files are: next to this module in the source tree, or the source tree seen from dist/. */
export function migrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, 'migrations'),
    path.resolve(here, '../../../../server/db/migrations'),
  ];
  for (const dir of candidates) if (existsSync(dir)) return dir;
  throw new Error(`Failed to find the SQL migrations: looked in ${candidates.join(', ')}. Reinstall Finch.`);
}

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export async function migrate(db: ScriptDb, dir = migrationsDir()): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    const ran = await db.txScript(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // Created under the lock: CREATE TABLE IF NOT EXISTS itself races between two sessions.
      await q.exec('CREATE TABLE IF NOT EXISTS finch_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = await q.query('SELECT 1 FROM finch_migrations WHERE name = $1', [file]);
      if (done.rows.length > 0) return false;
      await q.exec(sql);
      await q.query('INSERT INTO finch_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    (ran ? result.applied : result.skipped).push(file);
  }
  return result;
}
