/**
 * Opens everything the app needs from a Config: the database (migrated), the snapshot store, and the
 * `change` helper that ties them together. `closeDeps` undoes it in the right order.
 */
import type { Config } from './config.js';
import type { ServerDeps } from './deps.js';
import type { Queryable } from './db/Db.js';
import { openDb } from './db/openDb.js';
import { bumpRevision } from './db/revision.js';
import { createSnapshotStore } from './snapshot/createSnapshotStore.js';

export interface CreateDepsOptions {
  now?: () => number;
  logger?: boolean | { level: string };
  /** Revision poll interval for PostgreSQL (ms). @default 5000 */
  pollMs?: number;
  /** Start-up messages (migrations applied). */
  log?: (message: string) => void;
}

export async function createDeps(config: Config, opts: CreateDepsOptions = {}): Promise<ServerDeps> {
  const db = await openDb(config, opts.log !== undefined ? { log: opts.log } : {});
  try {
    const snapshot = await createSnapshotStore(db, {
      ttlSeconds: config.ttlSeconds,
      serviceWorkerEnabled: config.serviceWorker,
      listenUrl: config.databaseUrl,
      ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
      onError: (err) => console.error('finch: snapshot refresh failed:', err instanceof Error ? err.message : err),
    });
    const change = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
      const result = await db.tx(async (q) => {
        const value = await fn(q);
        await bumpRevision(q);
        return value;
      });
      // Committed: answer only once our own getConsoleVersion shows it (read-your-writes). A failed
      // reload keeps the old snapshot; the next change or poll retries.
      await snapshot.refresh().catch((err: unknown) => console.error('finch: snapshot refresh failed:', err instanceof Error ? err.message : err));
      return result;
    };
    return { config, db, snapshot, change, now: opts.now ?? Date.now, ...(opts.logger !== undefined ? { logger: opts.logger } : {}) };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function closeDeps(deps: ServerDeps): Promise<void> {
  await deps.snapshot.close();
  await deps.db.close();
}
