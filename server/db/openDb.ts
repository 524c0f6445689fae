/** Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite) and brings its schema up to date. */
import path from 'node:path';
import type { Config } from '../config.js';
import type { ScriptDb } from './ScriptDb.js';
import { migrate } from './migrate.js';
import { openPglite } from './pgliteDb.js';
import { openPostgres } from './postgresDb.js';

export interface OpenDbOptions {
  /** Apply the migrations the database lacks. @default true */
  migrate?: boolean;
  /** Start-up messages (migrations applied, waiting for a crashed process's lock). */
  log?: (message: string) => void;
  /** Names this process to others refused by the embedded database's lock. @default the command line */
  command?: string;
}

/** The embedded database's directory inside FINCH_DATA_DIR. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'db');
}

export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>, opts: OpenDbOptions = {}): Promise<ScriptDb> {
  const db = config.databaseUrl !== null
    ? await openPostgres(config.databaseUrl)
    : await openPglite(pgliteDir(config.dataDir), {
      ...(opts.log !== undefined ? { log: opts.log } : {}),
      ...(opts.command !== undefined ? { command: opts.command } : {}),
    });
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
