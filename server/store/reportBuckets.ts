/** The `report_buckets` table: client reports counted per build, kind and minute, for time series. */
import type { Queryable } from '../db/Db.js';

/** `n` reports of `kind` about build `resourceId` of `product`, arrived in the minute starting at `minute` (epoch s). */
export interface ReportBucketCount {
  resourceId: number;
  product: string;
  kind: string;
  minute: number;
  n: number;
}

/** Rows per INSERT statement (5 parameters each, far below PostgreSQL's 65,535). */
export const BUCKET_BATCH = 500;

/**
 * Adds counts in one upsert (at most BUCKET_BATCH). As with the totals, counts of resources that do not
 * exist, or that belong to another product, are discarded by the join.
 */
export async function addReportBuckets(q: Queryable, counts: readonly ReportBucketCount[]): Promise<void> {
  if (counts.length === 0) return;
  const params: unknown[] = [];
  const values = counts.map((c) => {
    params.push(c.resourceId, c.product, c.kind, c.minute, c.n);
    const k = params.length;
    return `($${k - 4}::integer, $${k - 3}::text, $${k - 2}::text, $${k - 1}::bigint, $${k}::bigint)`;
  });
  await q.query(
    `INSERT INTO report_buckets (resource_id, minute, kind, count)
     SELECT v.resource_id, to_timestamp(v.minute), v.kind, sum(v.n) FROM (VALUES ${values.join(', ')}) AS v(resource_id, product, kind, minute, n)
       JOIN resources r ON r.id = v.resource_id
       JOIN products p ON p.id = r.product_id AND p.name = v.product
      GROUP BY v.resource_id, v.minute, v.kind
     ON CONFLICT (resource_id, minute, kind) DO UPDATE SET count = report_buckets.count + EXCLUDED.count`,
    params,
  );
}

export interface SeriesQuery {
  product?: string;
  resourceId?: number;
  /** Epoch seconds, a multiple of bucketSeconds: minutes from here (inclusive)… */
  from: number;
  /** …to here (exclusive). */
  to: number;
  bucketSeconds: number;
}

export interface SeriesRow {
  resourceId: number;
  version: string;
  kind: string;
  /** Start of the bucket, epoch seconds. */
  at: number;
  count: number;
}

interface Row {
  resource_id: number;
  version: string;
  kind: string;
  at: string | number;
  count: string | number;
}

/**
 * Counts summed into buckets of `bucketSeconds` aligned to the Unix epoch (so a day is a UTC day), only
 * the buckets that hold any, ordered by build, kind and time.
 */
export async function readReportSeries(q: Queryable, query: SeriesQuery): Promise<SeriesRow[]> {
  const { rows } = await q.query<Row>(
    `SELECT b.resource_id, r.version, b.kind,
            extract(epoch FROM date_bin(make_interval(secs => $3::integer), b.minute, 'epoch'::timestamptz))::bigint AS at,
            sum(b.count) AS count
       FROM report_buckets b JOIN resources r ON r.id = b.resource_id JOIN products p ON p.id = r.product_id
      WHERE b.minute >= to_timestamp($1::bigint) AND b.minute < to_timestamp($2::bigint)
        AND ($4::text IS NULL OR p.name = $4) AND ($5::integer IS NULL OR b.resource_id = $5)
      GROUP BY b.resource_id, r.version, b.kind, at
      ORDER BY b.resource_id, b.kind, at`,
    [query.from, query.to, query.bucketSeconds, query.product ?? null, query.resourceId ?? null],
  );
  return rows.map((r) => ({ resourceId: Number(r.resource_id), version: r.version, kind: r.kind, at: Number(r.at), count: Number(r.count) }));
}

/** Deletes every bucket of a minute before `before` (epoch s); how many went. */
export async function pruneReportBuckets(q: Queryable, before: number): Promise<number> {
  const r = await q.query('DELETE FROM report_buckets WHERE minute < to_timestamp($1::bigint)', [before]);
  return r.rowCount;
}
