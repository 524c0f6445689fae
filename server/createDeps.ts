/**
 * Opens everything the app needs from a Config and does the start-up work: the database (migrated),
 * the console's first admin, the snapshot store, the `change` helper that ties them together, and the
 * report buffer with its flush timer (which also prunes old report buckets). `closeDeps` undoes it in the right order.
 */
import type { Config } from './config.js';
import type { ServerDeps } from './deps.js';
import type { Queryable } from './db/Db.js';
import { openDb } from './db/openDb.js';
import { bumpRevision } from './store/revision.js';
import { bootstrapAdmin } from './auth/users.js';
import { randomBytes } from 'node:crypto';
import { ReportBuffer } from './reports/ReportBuffer.js';
import { createReportTokens } from './reports/reportTokens.js';
import { ensureSecret } from './store/serverSecrets.js';
import { createBucketPruner } from './reports/bucketRetention.js';
import { createSnapshotStore } from './snapshot/createSnapshotStore.js';
import { sweepUploadScratch } from './upload/uploadScratch.js';
import { createDispatcher, type Dispatcher } from './webhooks/dispatcher.js';
import { startRolloutEngine, type RolloutEngine } from './rollouts/rolloutEngine.js';

/** Reports wait in memory at most this long before one batched upsert writes them. */
const REPORT_FLUSH_MS = 5000;

/** Due webhook deliveries are looked for this often. */
const WEBHOOK_POLL_MS = 1000;

const flushTimers = new WeakMap<ServerDeps, ReturnType<typeof setInterval>>();
const dispatchers = new WeakMap<ServerDeps, Dispatcher>();
const rolloutEngines = new WeakMap<ServerDeps, RolloutEngine>();
/** The last prune of old report buckets, awaited before the database closes. */
const prunes = new WeakMap<ServerDeps, Promise<unknown>>();

export interface CreateDepsOptions {
  now?: () => number;
  logger?: boolean | { level: string };
  /** Revision poll interval for PostgreSQL (ms). @default 5000 */
  pollMs?: number;
  /** Start-up messages (migrations applied). */
  log?: (message: string) => void;
  /** How long reports wait in memory before their batched write (ms). @default 5000 */
  reportFlushMs?: number;
  /** Waits between failed webhook attempts (ms); one more attempt than waits. @default 5 s, 30 s, 2 min, 10 min, 1 h */
  webhookBackoffMs?: readonly number[];
}

export async function createDeps(config: Config, opts: CreateDepsOptions = {}): Promise<ServerDeps> {
  const db = await openDb(config, opts.log !== undefined ? { log: opts.log } : {});
  try {
    // Unfinished uploads of an earlier run; with PostgreSQL other processes may share the folder.
    await sweepUploadScratch(config.dataDir, { shared: config.databaseUrl !== null });
    // First start on an empty database: someone must be able to sign in and create the rest.
    const admin = await bootstrapAdmin(db, config.adminPassword);
    if (admin?.generated) {
      console.log(`finch: created console user "admin" with password ${admin.password}\n` +
        'finch: it is shown only this once; change it with PATCH /api/v1/users/admin.');
    }
    const snapshot = await createSnapshotStore(db, {
      ttlSeconds: config.ttlSeconds,
      serviceWorkerEnabled: config.serviceWorker,
      releasesOrigin: config.releasesOrigin,
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
    const now = opts.now ?? Date.now;
    const reports = new ReportBuffer(now);
    const pruneBuckets = createBucketPruner(now);
    // Made on the first start and shared by every process on the database, so any of them verifies a token another issued.
    const reportTokens = createReportTokens(Buffer.from(await ensureSecret(db, 'report-token', () => randomBytes(32).toString('base64url')), 'base64url'));
    const deps: ServerDeps = { config, db, snapshot, reports, reportTokens, change, now, ...(opts.logger !== undefined ? { logger: opts.logger } : {}) };
    const timer = setInterval(() => {
      reports.flush(db).catch((err: unknown) => console.error('finch: failed to write report counts; kept for the next try:', err instanceof Error ? err.message : err));
      // Report buckets older than the retention (reports/bucketRetention.ts), at most once an hour.
      prunes.set(deps, pruneBuckets(db).catch((err: unknown) => console.error('finch: failed to prune old report buckets; retried later:', err instanceof Error ? err.message : err)));
    }, opts.reportFlushMs ?? REPORT_FLUSH_MS);
    timer.unref();
    flushTimers.set(deps, timer);
    // Sends what events queued (server/webhooks/); other processes on the same database share the work.
    const dispatcher = createDispatcher(db, opts.webhookBackoffMs !== undefined ? { backoffMs: opts.webhookBackoffMs } : {});
    dispatcher.start(WEBHOOK_POLL_MS);
    dispatchers.set(deps, dispatcher);
    // Advances rollouts by itself; with several processes on one database each transition is written once.
    if (config.rolloutTickMs > 0) {
      rolloutEngines.set(deps, startRolloutEngine(deps, {
        tickMs: config.rolloutTickMs,
        onError: (err) => console.error('finch: rollout engine:', err instanceof Error ? err.message : err),
      }));
    }
    return deps;
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function closeDeps(deps: ServerDeps): Promise<void> {
  clearInterval(flushTimers.get(deps));
  await rolloutEngines.get(deps)?.stop();
  await dispatchers.get(deps)?.stop();
  await prunes.get(deps);
  await deps.reports.flush(deps.db).catch((err: unknown) => console.error('finch: failed to write report counts at shutdown:', err instanceof Error ? err.message : err));
  await deps.snapshot.close();
  await deps.db.close();
}
