/**
 * When a failed attempt is tried again. The waits grow so a receiver that is down for an hour is not
 * hammered meanwhile; after the last wait one more attempt is made, then the delivery is `failed`.
 */

/** 5 s, 30 s, 2 min, 10 min, 1 h: six attempts over about 73 minutes. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 3_600_000];

/** The wait after failed attempt `attempt` (1 for the first), or null when it was the last. */
export function retryDelay(backoffMs: readonly number[], attempt: number): number | null {
  return backoffMs[attempt - 1] ?? null;
}
