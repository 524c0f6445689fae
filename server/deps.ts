/**
 * What every plugin of the server gets: built once by `main.ts` (or a test harness) and handed to
 * `buildApp`. Plugins take what they need from it instead of reading globals.
 */
import type { Config } from './config.js';
import type { Db, Queryable } from './db/Db.js';
import type { ReportBuffer } from './reports/ReportBuffer.js';
import type { ReportTokens } from './reports/reportTokens.js';
import type { SnapshotStore } from './snapshot/SnapshotStore.js';

export interface ServerDeps {
  readonly config: Config;
  readonly db: Db;
  readonly snapshot: SnapshotStore;
  /** Client report counts waiting for their batched write (flushed on a timer and by `closeDeps`). */
  readonly reports: ReportBuffer;
  /** Issues the report tokens of manifests and verifies those reports bring back (reports/reportTokens.ts). */
  readonly reportTokens: ReportTokens;
  /** Epoch ms; a seam so tests can move the clock across strategy windows. @default Date.now */
  readonly now: () => number;
  /** Fastify's logger setting. @default false */
  readonly logger?: boolean | { level: string };
  /**
   * Runs `fn` in one transaction that also bumps the revision (and tells other processes), then waits
   * until the in-memory snapshot includes it. Use it for every write that can change a manifest:
   * products, resources (status, files, integrity…), strategies.
   */
  readonly change: <T>(fn: (q: Queryable) => Promise<T>) => Promise<T>;
}
