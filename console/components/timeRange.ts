// The charts' time ranges: each picks a bucket size that gives the chart about a hundred points,
// few enough to read, enough to show a trend. The window ends at the end of the current bucket so
// the reports of the last minutes are on the chart.

export type RangeKey = '1h' | '24h' | '7d';

export interface TimeRange {
  key: RangeKey;
  seconds: number;
  bucketSeconds: number;
}

export const RANGES: readonly TimeRange[] = [
  { key: '1h', seconds: 3_600, bucketSeconds: 60 },
  { key: '24h', seconds: 86_400, bucketSeconds: 900 },
  { key: '7d', seconds: 604_800, bucketSeconds: 3_600 },
];

export const DEFAULT_RANGE: TimeRange = RANGES[0]!;

/** The range named `key`, or the default one for anything else (a hand-edited URL). */
export function rangeOf(key: string | null): TimeRange {
  return RANGES.find((r) => r.key === key) ?? DEFAULT_RANGE;
}

export interface TimeWindow {
  /** Epoch seconds, a multiple of bucketSeconds. */
  from: number;
  /** Epoch seconds (exclusive), a multiple of bucketSeconds. */
  to: number;
  bucketSeconds: number;
}

/**
 * The window of `range` that ends with the bucket holding `nowMs`.
 * @example windowOf(RANGES[0], Date.parse('2026-01-01T10:00:30Z')) // from 09:01, to 10:01, 60 s buckets
 */
export function windowOf(range: TimeRange, nowMs: number): TimeWindow {
  const b = range.bucketSeconds;
  const to = (Math.floor(nowMs / 1000 / b) + 1) * b;
  return { from: to - range.seconds, to, bucketSeconds: b };
}
