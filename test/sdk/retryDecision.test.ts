// What a failed manifest request means for the next one: back-off, wait for login, or wait for refresh().
import { expect, test } from 'vitest';
import type { FinchErrorCode } from '../../core/FinchError.js';
import { decideRetry } from '../../sdk/retryDecision.js';

const NOW = 60_000;
const lowest = () => 0;

test.each<[FinchErrorCode, number, string | null, ReturnType<typeof decideRetry>]>([
  ['unauthorized', 0, null, 'next-login'],
  ['forbidden', 3, '120', 'next-login'],
  ['network-error', 0, null, 500],
  ['network-error', 2, null, 2_000],
  ['timeout', 1, null, 1_000],
  ['rate-limited', 0, '120', 120_000],
  ['network-error', 20, null, 150_000],
  ['not-found', 0, null, 'next-refresh'],
  ['invalid-manifest', 0, null, 'next-refresh'],
  ['unsupported-schema', 0, null, 'next-refresh'],
  ['unsafe-url', 0, null, 'next-refresh'],
  ['invalid-input', 0, null, 'next-refresh'],
])('%s, attempt %i, Retry-After %s → %s', (code, attempt, retryAfter, expected) => {
  expect(decideRetry(code, attempt, retryAfter, NOW, lowest)).toBe(expected);
});
