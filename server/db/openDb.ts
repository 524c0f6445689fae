/** Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite) and brings its schema up to date. */
import path from 'node:path';
import type { Config } from '../config.js';
import type { ScriptDb } from './ScriptDb.js';
import { migrate } from './migrate.js';
import { openPglite } from './pgliteDb.js';
import { openPostgres } from './postgresDb.js';

export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>, opts: { migrate?: boolean; log?: (message: string) => void } = {}): Promise<ScriptDb> {
  const db = config.databaseUrl !== null
    ? await openPostgres(config.databaseUrl)
    : await openPglite(path.join(config.dataDir, 'db'));
  if (opts.migrate !== false) {
    try {
      const result = await migrate(db);
      if (result.applied.length > 0) opts.log?.(`finch: applied migrations ${result.applied.join(', ')}`);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}
