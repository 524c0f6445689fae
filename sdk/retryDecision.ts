import type { FinchErrorCode } from '../core/FinchError.js';
import { backoffDelay } from './backoff.js';

/**
 * After a failed manifest request: milliseconds until the next try; 'next-login' when asking again
 * cannot help before the user logs in again; 'next-refresh' when only an explicit `refresh()` or login
 * should ask again.
 */
export type RetryDecision = number | 'next-login' | 'next-refresh';

/**
 * 401/403 stop until the next login. Being offline, a timeout, 408, 429 and 5xx (codes `network-error`,
 * `timeout`, `rate-limited`) retry with back-off. A 404 or a bad manifest would fail the same way again
 * at once, so only the next `refresh()` or login asks.
 */
export function decideRetry(
  code: FinchErrorCode,
  attempt: number,
  retryAfter: string | null | undefined,
  now: number,
  random?: () => number,
): RetryDecision {
  if (code === 'unauthorized' || code === 'forbidden') return 'next-login';
  if (code === 'network-error' || code === 'timeout' || code === 'rate-limited') return backoffDelay(attempt, retryAfter, now, random);
  return 'next-refresh';
}
