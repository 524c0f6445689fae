/** The `report_counts` table: client reports, counted per build and kind. */
import type { Queryable } from '../db/Db.js';
import { iso } from './rowValues.js';

/** One batched count: `n` reports of `kind` about build `resourceId` of `product`. */
export interface ReportCount {
  resourceId: number;
  product: string;
  kind: string;
  n: number;
}

/** Rows per INSERT statement (4 parameters each, far below PostgreSQL's 65,535). */
export const REPORT_BATCH = 500;

/**
 * Adds counts in one upsert (at most REPORT_BATCH). Counts of resources that do not exist, or that
 * belong to another product, are discarded by the join.
 */
export async function addReportCounts(q: Queryable, counts: readonly ReportCount[]): Promise<void> {
  const params: unknown[] = [];
  const values = counts.map((c) => {
    params.push(c.resourceId, c.product, c.kind, c.n);
    const k = params.length;
    return `($${k - 3}::integer, $${k - 2}::text, $${k - 1}::text, $${k}::bigint)`;
  });
  await q.query(
    `INSERT INTO report_counts (resource_id, kind, count)
     SELECT v.resource_id, v.kind, sum(v.n) FROM (VALUES ${values.join(', ')}) AS v(resource_id, product, kind, n)
       JOIN resources r ON r.id = v.resource_id
       JOIN products p ON p.id = r.product_id AND p.name = v.product
      GROUP BY v.resource_id, v.kind
     ON CONFLICT (resource_id, kind) DO UPDATE
       SET count = report_counts.count + EXCLUDED.count, last_at = now()`,
    params,
  );
}

export interface ReportTotal {
  resourceId: number;
  product: string;
  version: string;
  kind: string;
  count: number;
  firstAt: string;
  lastAt: string;
}

interface CountRow {
  resource_id: number;
  product: string;
  version: string;
  kind: string;
  count: string | number;
  first_at: Date | string;
  last_at: Date | string;
}

/** Counts per build and kind, optionally of one product or one build. */
export async function readReportCounts(q: Queryable, filter: { product?: string; resourceId?: number }): Promise<ReportTotal[]> {
  const { rows } = await q.query<CountRow>(
    `SELECT c.resource_id, p.name AS product, r.version, c.kind, c.count, c.first_at, c.last_at
       FROM report_counts c JOIN resources r ON r.id = c.resource_id JOIN products p ON p.id = r.product_id
      WHERE ($1::text IS NULL OR p.name = $1) AND ($2::integer IS NULL OR c.resource_id = $2)
      ORDER BY p.name, c.resource_id, c.kind`,
    [filter.product ?? null, filter.resourceId ?? null],
  );
  return rows.map((r) => ({
    resourceId: Number(r.resource_id),
    product: r.product,
    version: r.version,
    kind: r.kind,
    count: Number(r.count),
    firstAt: iso(r.first_at),
    lastAt: iso(r.last_at),
  }));
}
