/** The first retry after 429/5xx/no answer waits about this long, each next one twice as long... */
export const BACKOFF_BASE_MS = 1_000;
/** ...up to this: a dead control plane is asked every 2.5–5 minutes per open page, not hammered. */
export const BACKOFF_CAP_MS = 300_000;
// setTimeout fires at once past 2^31-1 ms, so even a Retry-After of weeks is held to a day.
const MAX_MS = 86_400_000;

/**
 * Delay before retry number `attempt` (0-based): "equal jitter", a random point in the upper half of
 * min(cap, base·2^attempt) so that pages reopened together by an outage do not return together,
 * and never sooner than the server's `Retry-After` (seconds or an HTTP date).
 */
export function backoffDelay(attempt: number, retryAfter: string | null | undefined, now: number, random: () => number = Math.random): number {
  const d = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  const ra = retryAfter ? Number(retryAfter) * 1000 || Date.parse(retryAfter) - now : 0;
  return Math.min(MAX_MS, Math.max(d / 2 + (random() * d) / 2, ra || 0));
}
