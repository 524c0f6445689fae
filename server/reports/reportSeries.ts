/**
 * Report counts over time, for charts and rollout guards: the window a caller asks for, snapped to its
 * buckets and bounded, then summed by the database. Only buckets that hold reports are returned; the
 * client fills the gaps with zeros, knowing `from`, `to` and `bucketSeconds`.
 */
import { FinchError } from '../../core/FinchError.js';
import type { Queryable } from '../db/Db.js';
import { readReportSeries } from '../store/reportBuckets.js';

/** A minute (the stored resolution), five minutes, a quarter hour, an hour, a day. */
export const BUCKET_SIZES = [60, 300, 900, 3600, 86400] as const;
export type BucketSeconds = (typeof BUCKET_SIZES)[number];
/** Enough for a day by the minute or two months by the hour, and still a small answer. */
export const MAX_BUCKETS = 1500;
export const DEFAULT_BUCKET_SECONDS: BucketSeconds = 300;
const DEFAULT_SPAN_SECONDS = 24 * 3600;

export interface SeriesRequest {
  product?: string;
  resourceId?: number;
  /** RFC 3339; default `to` minus 24 hours. */
  from?: string;
  /** RFC 3339; default now. */
  to?: string;
  bucketSeconds?: BucketSeconds;
}

export interface ReportSeries {
  resourceId: number;
  version: string;
  kind: string;
  /** [bucket start in epoch seconds, count], ascending, non-empty buckets only. */
  points: Array<[number, number]>;
}

export interface SeriesAnswer {
  bucketSeconds: number;
  /** Start of the first bucket (RFC 3339). */
  from: string;
  /** End of the last bucket (RFC 3339): buckets start at from + k·bucketSeconds, before this. */
  to: string;
  series: ReportSeries[];
}

const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

/** Reads the series; `now` is epoch ms. Throws `invalid-input` for a window it cannot answer. */
export async function reportSeries(q: Queryable, request: SeriesRequest, now: number): Promise<SeriesAnswer> {
  if (request.product === undefined && request.resourceId === undefined) {
    throw new FinchError('invalid-input', 'Invalid input: name a product or a resourceId for the series.', { field: 'querystring' });
  }
  const bucket = request.bucketSeconds ?? DEFAULT_BUCKET_SECONDS;
  const toMs = request.to === undefined ? now : Date.parse(request.to);
  const fromMs = request.from === undefined ? toMs - DEFAULT_SPAN_SECONDS * 1000 : Date.parse(request.from);
  if (!(fromMs < toMs)) {
    throw new FinchError('invalid-input', 'Invalid input: from must be before to.', { field: 'querystring/from' });
  }
  // Whole buckets covering [from, to), aligned to the epoch as the database bins them.
  const from = Math.floor(fromMs / 1000 / bucket) * bucket;
  const to = Math.ceil(toMs / 1000 / bucket) * bucket;
  const buckets = (to - from) / bucket;
  if (buckets > MAX_BUCKETS) {
    throw new FinchError(
      'invalid-input',
      `Invalid input: ${buckets} buckets of ${bucket} s between from and to; at most ${MAX_BUCKETS}. Ask for a shorter window or larger buckets.`,
      { field: 'querystring/bucketSeconds', limit: MAX_BUCKETS },
    );
  }
  const rows = await readReportSeries(q, {
    ...(request.product !== undefined ? { product: request.product } : {}),
    ...(request.resourceId !== undefined ? { resourceId: request.resourceId } : {}),
    from,
    to,
    bucketSeconds: bucket,
  });
  const series: ReportSeries[] = [];
  let current: ReportSeries | undefined;
  for (const r of rows) {
    if (current === undefined || current.resourceId !== r.resourceId || current.kind !== r.kind) {
      current = { resourceId: r.resourceId, version: r.version, kind: r.kind, points: [] };
      series.push(current);
    }
    current.points.push([r.at, r.count]);
  }
  return { bucketSeconds: bucket, from: iso(from), to: iso(to), series };
}
