/** Report tokens on their own: what verifies, and everything a forger could try that must not. */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createReportTokens, MAX_REPORT_TOKEN } from '../../../server/reports/reportTokens.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12);
const tokens = createReportTokens(randomBytes(32));
const alice = tokens.user('alice');
const token = tokens.issue('dashboard', 42, alice, NOW);

describe('report tokens', () => {
  test('a token verifies for its product and build, and names the user by a pseudonym, never the user id', () => {
    expect(tokens.verify(token, 'dashboard', 42, NOW)).toBe(alice);
    expect(alice).toMatch(/^[\w-]{16}$/);
    expect(token).not.toContain('alice');
    expect(token.length).toBeLessThanOrEqual(MAX_REPORT_TOKEN);
    // The same user on the same day gets the same token; another user another pseudonym.
    expect(tokens.issue('dashboard', 42, tokens.user('alice'), NOW + 1000)).toBe(token);
    expect(tokens.user('bob')).not.toBe(alice);
  });

  test('valid on its UTC day and the next, not before and not after', () => {
    const midnight = Math.floor(NOW / DAY) * DAY;
    expect(tokens.verify(token, 'dashboard', 42, midnight)).toBe(alice);
    expect(tokens.verify(token, 'dashboard', 42, midnight + 2 * DAY - 1)).toBe(alice);
    expect(tokens.verify(token, 'dashboard', 42, midnight + 2 * DAY)).toBeNull();
    expect(tokens.verify(token, 'dashboard', 42, midnight - 1)).toBeNull();
  });

  test.each([
    ['another build of the product', (t: string) => tokens.verify(t, 'dashboard', 43, NOW)],
    ['another product', (t: string) => tokens.verify(t, 'header', 42, NOW)],
    ['another server (secret)', (t: string) => createReportTokens(randomBytes(32)).verify(t, 'dashboard', 42, NOW)],
  ])('refused for %s', (_name, verify) => {
    expect(verify(token)).toBeNull();
  });

  test('a forged token is refused: another user spliced in, a changed day, a flipped signature, junk', () => {
    const [day, , sig] = token.split('.') as [string, string, string];
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    const forged = [
      `${day}.${tokens.user('mallory')}.${sig}`,
      `${(parseInt(day, 36) - 1).toString(36)}.${alice}.${sig}`,
      `${day}.${alice}.${flipped}`,
      `${day}.${alice}.${'A'.repeat(22)}`,
      '', '...', `${day}.${alice}`, `${token}.x`, `${day}.${alice}.${sig}=`, token.toUpperCase(),
      `zzzzzzz.${alice}.${sig}`, `-1.${alice}.${sig}`,
    ];
    for (const t of forged) expect(tokens.verify(t, 'dashboard', 42, NOW), t).toBeNull();
  });
});
