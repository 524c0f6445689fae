/** The `report_users` table: which users reported what of a build, and when they last did (migration 007). */
import type { Queryable } from '../db/Db.js';

/** What the guard counts a report as: used the build, fell back from it, or hit a runtime error in it. */
export type ReportClass = 'exposure' | 'fallback' | 'error';

/** Users whose key starts so were counted from unsigned reports, one per report. */
export const UNSIGNED_PREFIX = 'anon:';

export interface ReportUser {
  resourceId: number;
  product: string;
  cls: ReportClass;
  user: string;
  /** Epoch ms of the report. */
  at: number;
}

/** Rows per INSERT statement (5 parameters each). */
export const USER_BATCH = 500;

/**
 * Records users (at most USER_BATCH), keeping each one's latest report time. Rows of builds that do not
 * exist, or that belong to another product, are discarded by the join, as for the counts.
 */
export async function addReportUsers(q: Queryable, users: readonly ReportUser[]): Promise<void> {
  if (users.length === 0) return;
  const params: unknown[] = [];
  const values = users.map((u) => {
    params.push(u.resourceId, u.product, u.cls, u.user, u.at);
    const k = params.length;
    return `($${k - 4}::integer, $${k - 3}::text, $${k - 2}::text, $${k - 1}::text, $${k}::bigint)`;
  });
  await q.query(
    `INSERT INTO report_users (resource_id, class, user_key, last_at)
     SELECT v.resource_id, v.class, v.user_key, max(v.at) FROM (VALUES ${values.join(', ')}) AS v(resource_id, product, class, user_key, at)
       JOIN resources r ON r.id = v.resource_id
       JOIN products p ON p.id = r.product_id AND p.name = v.product
      GROUP BY v.resource_id, v.class, v.user_key
     ON CONFLICT (resource_id, class, user_key) DO UPDATE SET last_at = GREATEST(report_users.last_at, EXCLUDED.last_at)`,
    params,
  );
}

/** Distinct users of one build per class since a time, and how many of them were unsigned reports. */
export interface ClassCounts {
  users: Record<ReportClass, number>;
  unsigned: Record<ReportClass, number>;
}

/** Users of build `resourceId` who reported since `from` (epoch ms); unsigned ones only if `withUnsigned`. */
export async function countReportUsers(q: Queryable, resourceId: number, from: number, withUnsigned: boolean): Promise<ClassCounts> {
  const r = await q.query<{ class: ReportClass; users: string; unsigned: string }>(
    `SELECT class, count(*) AS users, count(*) FILTER (WHERE starts_with(user_key, $3)) AS unsigned
       FROM report_users
      WHERE resource_id = $1 AND last_at >= $2 AND ($4 OR NOT starts_with(user_key, $3))
      GROUP BY class`,
    [resourceId, from, UNSIGNED_PREFIX, withUnsigned],
  );
  const counts: ClassCounts = { users: { exposure: 0, fallback: 0, error: 0 }, unsigned: { exposure: 0, fallback: 0, error: 0 } };
  for (const row of r.rows) {
    counts.users[row.class] = Number(row.users);
    counts.unsigned[row.class] = Number(row.unsigned);
  }
  return counts;
}

/** Deletes users whose last report is older than `before` (epoch ms); resolves to rows deleted. */
export async function pruneReportUsers(q: Queryable, before: number): Promise<number> {
  const r = await q.query('DELETE FROM report_users WHERE last_at < $1', [before]);
  return r.rowCount;
}
