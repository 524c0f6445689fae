// @vitest-environment happy-dom
// Back-off: 429/5xx/no answer → retries spaced out with jitter, capped, honouring Retry-After;
// 401/403 → stop until the next login; 404 → no retry, but the client is not frozen.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay } from '../../sdk/backoff.js';
import { createFinch } from '../../sdk/createFinch.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { collect, entry, manifest } from './fixtures.js';

const OK = manifest('alice', { dashboard: entry('dashboard', 40, '1.0.0') });

describe('backoffDelay', () => {
  test.each([
    // attempt, random, Retry-After, expected ms
    [0, 0, null, 500],
    [0, 1, null, 1000],
    [1, 0, null, 1000],
    [3, 0.5, null, 6000],
    [8, 0, null, 128_000],
    [9, 0, null, 150_000], // 512 s capped to 300 s, lower half
    [30, 1, null, 300_000],
    [0, 0, '120', 120_000],
    [5, 1, '1', 32_000], // a shorter Retry-After does not shorten the back-off
    [0, 0, 'Thu, 01 Jan 1970 00:01:40 GMT', 40_000], // HTTP date, 40 s after "now" (60 s)
    [0, 0, 'soon', 500],
    [0, 0, String(40 * 86_400), 86_400_000], // setTimeout overflows past 24.8 days
  ])('attempt %i, random %f, Retry-After %s → %i ms', (attempt, random, retryAfter, expected) => {
    expect(backoffDelay(attempt, retryAfter, 60_000, () => random)).toBe(expected);
  });

  test('the constants are what DESIGN.md says', () => {
    expect([BACKOFF_BASE_MS, BACKOFF_CAP_MS]).toEqual([1_000, 300_000]);
  });
});

describe('the client retries on the clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** A fetch seam answering with the given statuses in turn (then 200), recording when it was called. */
  function plane(answers: (number | [number, Record<string, string>])[]) {
    const at: number[] = [];
    const fetch = vi.fn(async () => {
      at.push(Date.now());
      const a = answers.shift() ?? 200;
      const [status, headers] = typeof a === 'number' ? [a, {}] : a;
      return status === 200 ? new Response(JSON.stringify(OK), { headers: { etag: '"1"' } }) : new Response(null, { status, headers });
    });
    const finch = createFinch({ endpoint: '/api/v1', products: ['dashboard'], fetch, store: memoryStore() });
    return { at, fetch, finch };
  }

  const calls = (p: { fetch: { mock: { calls: unknown[] } } }) => p.fetch.mock.calls.length;

  test('5xx and 429: waits 0.5 s, 1 s, 2 s, 4 s with random() = 0, then recovers', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const p = plane([503, 502, 500, 429, 504]);
    const recovered = collect(p.finch, 'recovered');
    await p.finch.login('alice');
    expect(calls(p)).toBe(1);
    for (const wait of [500, 1000, 2000, 4000, 8000]) {
      const before = calls(p);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(calls(p)).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls(p)).toBe(before + 1);
    }
    expect(recovered).toEqual([{ userId: 'alice' }]);
    // Recovered: nothing more is scheduled.
    await vi.advanceTimersByTimeAsync(BACKOFF_CAP_MS * 2);
    expect(calls(p)).toBe(6);
  });

  test('with random() near 1 the waits double up to the cap and stay there', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const p = plane(Array(14).fill(503));
    await p.finch.login('alice');
    await vi.advanceTimersByTimeAsync(BACKOFF_CAP_MS * 20);
    const gaps = p.at.slice(1).map((t, i) => t - p.at[i]!);
    expect(gaps).toHaveLength(14);
    expect(gaps.slice(0, 8).map((g) => Math.round(g / 1000))).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(gaps.slice(9).every((g) => g <= BACKOFF_CAP_MS && g > BACKOFF_CAP_MS - 10)).toBe(true);
  });

  test('Retry-After is honoured', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const p = plane([[429, { 'retry-after': '120' }], [503, { 'retry-after': new Date(Date.now() + 120_000 + 300_000).toUTCString() }]]);
    await p.finch.login('alice');
    await vi.advanceTimersByTimeAsync(119_999);
    expect(calls(p)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls(p)).toBe(2);
    await vi.advanceTimersByTimeAsync(299_000);
    expect(calls(p)).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls(p)).toBe(3);
  });

  test.each([401, 403])('%i: no retry, refresh() does not ask, the next login does', async (status) => {
    const p = plane([status, status]);
    const errors = collect(p.finch, 'error');
    await p.finch.login('alice');
    await vi.advanceTimersByTimeAsync(86_400_000);
    await p.finch.refresh();
    expect(calls(p)).toBe(1);
    expect(errors.map((e) => e.code)).toEqual([status === 401 ? 'unauthorized' : 'forbidden']);
    await p.finch.login('alice');
    expect(calls(p)).toBe(2);
  });

  test('404: no retry on its own, but refresh() asks again and succeeds', async () => {
    const p = plane([404]);
    const errors = collect(p.finch, 'error');
    await p.finch.login('alice');
    expect(errors.map((e) => e.code)).toEqual(['not-found']);
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(calls(p)).toBe(1);
    await p.finch.refresh();
    expect(calls(p)).toBe(2);
  });

  test('logout and a new login cancel pending retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const p = plane([503, 503]);
    await p.finch.login('alice');
    await p.finch.logout();
    await vi.advanceTimersByTimeAsync(BACKOFF_CAP_MS * 4);
    expect(calls(p)).toBe(1);
    await p.finch.login('bob'); // 503 again: a fresh back-off starting at the base
    await vi.advanceTimersByTimeAsync(499);
    expect(calls(p)).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls(p)).toBe(3);
  });
});
