/**
 * How long report buckets (and the guard's report users) are kept: 90 days, a quarter of history for charts and guards, while the
 * table stays bounded (builds × kinds × minutes). The flush timer calls the pruner every few seconds;
 * it deletes at most once an hour, since a minute more or less of old history matters to nobody.
 */
import type { Queryable } from '../db/Db.js';
import { pruneReportBuckets } from '../store/reportBuckets.js';
import { pruneReportUsers } from '../store/reportUsers.js';

export const BUCKET_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 3600_000;

/** Prunes when an hour has passed since the last prune (the first call prunes); resolves to rows deleted, or null when it skipped. */
export type PruneBuckets = (q: Queryable) => Promise<number | null>;

/** @param now epoch ms, the same clock that stamps the buckets */
export function createBucketPruner(now: () => number): PruneBuckets {
  let last = -Infinity;
  let running = false;
  return async (q) => {
    const at = now();
    // A long first prune must not be joined by another one on the next tick.
    if (running || at - last < PRUNE_EVERY_MS) return null;
    running = true;
    try {
      const deleted = await pruneReportBuckets(q, Math.floor(at / 1000) - BUCKET_RETENTION_DAYS * 86400) +
        await pruneReportUsers(q, at - BUCKET_RETENTION_DAYS * 86_400_000);
      // Only after it worked: a failed prune is retried on the next tick.
      last = at;
      return deleted;
    } finally {
      running = false;
    }
  };
}
