// The time a rollout's charts cover: from its start to its end (or now), in buckets the reports API
// sums by (`GET /api/v1/reports/series`) and the charts page names. Pure.
import type { TimeWindow } from '../components/timeRange.js';

/** The bucket sizes the charts' text has words for (minute, quarter hour, hour). */
const BUCKETS = [60, 900, 3_600] as const;
/** About as many points as the charts page draws: a trend, not noise. */
const MAX_POINTS = 240;
/** The reports API refuses more buckets than this; a longer rollout shows its last part. */
const API_MAX_BUCKETS = 1_500;
/**
 * The shortest time drawn: a rollout minutes old still gets a line (one bucket draws none), and the
 * stable build's reports from before the start give its users' usual level.
 */
const MIN_SECONDS = 30 * 60;

/**
 * The window from `fromMs` to `toMs` (epoch ms; at least the 30 minutes before `toMs`), snapped to whole
 * buckets, ending with the bucket that holds `toMs` so the last reports are drawn.
 * @example rolloutWindow(Date.parse('2026-01-01T10:00:30Z'), Date.parse('2026-01-01T10:50:00Z')) // 60 s buckets from 10:00 to 10:51
 */
export function rolloutWindow(fromMs: number, toMs: number): TimeWindow {
  const end = Math.max(fromMs, toMs) / 1000;
  const start = Math.min(fromMs / 1000, toMs / 1000, end - MIN_SECONDS);
  const bucketSeconds = BUCKETS.find((b) => (end - start) / b <= MAX_POINTS) ?? BUCKETS[BUCKETS.length - 1]!;
  const to = (Math.floor(end / bucketSeconds) + 1) * bucketSeconds;
  const from = Math.max(Math.floor(start / bucketSeconds) * bucketSeconds, to - API_MAX_BUCKETS * bucketSeconds);
  return { from, to, bucketSeconds };
}
