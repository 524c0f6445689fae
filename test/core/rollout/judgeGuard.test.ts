import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FinchError, judgeGuard } from '../../../core/index.js';
import type { BuildFigures, RolloutGuard } from '../../../core/index.js';

const guard = (over: Partial<RolloutGuard> = {}): RolloutGuard => ({ minExposures: 100, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: false, tolerance: 0.01, ...over });
const fig = (exposedUsers: number, fallbackUsers = 0, errorUsers = 0): BuildFigures => ({ exposedUsers, fallbackUsers, errorUsers });

describe('judgeGuard against fixed limits', () => {
  test.each<[string, Partial<RolloutGuard>, BuildFigures, 'pass' | 'breach' | 'wait', RegExp]>([
    ['too few users yet', {}, fig(99), 'wait', /^Waiting for users: 99 of the 100 the guard needs/],
    ['every one of too few users failing', {}, fig(99, 99, 99), 'wait', /99 of the 100/],
    ['nobody at all (no division by zero)', { minExposures: 1 }, fig(0), 'wait', /0 of the 1 /],
    ['a healthy build', {}, fig(1000, 10, 3), 'pass', /^Guard passed: fallback rate 1% \(10 of 1,000 users, limit 2%\), error rate 0.3% \(3 of 1,000 users, limit 5%\)\.$/],
    ['a fallback rate exactly at its limit', {}, fig(1000, 20), 'pass', /fallback rate 2% \(20 of 1,000 users, limit 2%\)/],
    ['a fallback rate just above its limit', {}, fig(1000, 21), 'breach', /^Guard breached: the gray build's fallback rate is 2.1% \(21 of 1,000 users\), above the limit of 2%\.$/],
    ['an error rate above its limit', {}, fig(1000, 0, 51), 'breach', /error rate is 5.1% \(51 of 1,000 users\), above the limit of 5%/],
    ['both rates above their limits', {}, fig(100, 50, 50), 'breach', /fallback rate is 50%.*; the gray build's error rate is 50%/],
    ['a zero limit and one fallback', { maxFallbackRate: 0 }, fig(500, 1), 'breach', /0.2% \(1 of 500 users\), above the limit of 0%/],
    ['a zero limit and none', { maxFallbackRate: 0 }, fig(500), 'pass', /fallback rate 0%/],
    ['a limit of 1 and everyone failing', { maxFallbackRate: 1, maxErrorRate: 1 }, fig(100, 100, 100), 'pass', /fallback rate 100%/],
    ['failures from users whose exposure report was lost', {}, fig(50, 120), 'breach', /100% \(120 of 120 users\)/],
  ])('%s', (_, g, gray, verdict, reason) => {
    const j = judgeGuard(guard(g), gray, null);
    expect(j.verdict).toBe(verdict);
    expect(j.reason).toMatch(reason);
  });

  test('the figures are shown beside the verdict, with rates as fractions', () => {
    expect(judgeGuard(guard(), fig(400, 4, 2), null).figures).toEqual({
      gray: { exposedUsers: 400, fallbackUsers: 4, errorUsers: 2, users: 400, fallbackRate: 0.01, errorRate: 0.005 },
      stable: null,
      comparedToStable: false,
    });
  });

  test.each<[string, BuildFigures, string]>([
    ['a negative count', fig(-1), 'gray.exposedUsers'],
    ['a fractional count', fig(10, 1.5), 'gray.fallbackUsers'],
    ['NaN', fig(10, 0, NaN), 'gray.errorUsers'],
  ])('refuses %s as invalid-input', (_, gray, field) => {
    try {
      judgeGuard(guard(), gray, null);
      expect.unreachable();
    } catch (error) {
      expect((error as FinchError).code).toBe('invalid-input');
      expect((error as FinchError).details.field).toBe(field);
    }
  });

  test('refuses bad stable figures too', () => {
    expect(() => judgeGuard(guard(), fig(10), fig(10, -2))).toThrow(/stable build's fallbackUsers/);
  });
});

describe('judgeGuard against the stable build', () => {
  const cmp = guard({ compareToStable: true, maxFallbackRate: 0.1, maxErrorRate: 0.1 });

  test.each<[string, BuildFigures, BuildFigures | null, 'pass' | 'breach', boolean, RegExp]>([
    ['gray more than the tolerance above stable', fig(200, 5), fig(1000, 10), 'breach', true, /fallback rate is 2.5% \(5 of 200 users\), 1.5 points above the stable build's 1% \(10 of 1,000 users\); the tolerance is 1 point/],
    ['gray exactly the tolerance above stable', fig(200, 4), fig(1000, 10), 'pass', true, /no more than 1 point above the stable build \(fallback rate 1%, error rate 0%, 1,000 users\)/],
    ['3% against 2% with a 1-point tolerance (a binary hair under)', fig(100, 3), fig(100, 2), 'pass', true, /Guard passed/],
    ['errors compared as well', fig(1000, 0, 40), fig(1000, 0, 20), 'breach', true, /error rate is 4% .* 2 points above the stable build's 2%/],
    ['gray better than stable', fig(1000, 1), fig(1000, 30), 'pass', true, /Guard passed/],
    ['stable with too few users: no comparison', fig(200, 15), fig(50, 0), 'pass', false, /not compared with the stable build yet: 50 of its users reported, fewer than 100/],
    ['stable with no users (a 100% stage)', fig(200, 15), fig(0), 'pass', false, /0 of its users reported/],
    ['no stable build', fig(200, 15), null, 'pass', false, /not compared with the stable build: there are no figures for one/],
  ])('%s', (_, gray, stable, verdict, compared, reason) => {
    const j = judgeGuard(cmp, gray, stable);
    expect(j.verdict).toBe(verdict);
    expect(j.figures.comparedToStable).toBe(compared);
    expect(j.reason).toMatch(reason);
  });

  test('without compareToStable, the stable build is neither compared nor mentioned', () => {
    const j = judgeGuard(guard({ maxFallbackRate: 0.1 }), fig(1000, 50), fig(1000, 0));
    expect(j.verdict).toBe('pass');
    expect(j.figures.comparedToStable).toBe(false);
    expect(j.reason).not.toMatch(/stable/);
  });

  test('a stable build with no users has null rates, not NaN', () => {
    expect(judgeGuard(cmp, fig(200), fig(0)).figures.stable).toMatchObject({ users: 0, fallbackRate: null, errorRate: null });
  });
});

describe('judgeGuard properties', () => {
  const counts = fc.record({ exposedUsers: fc.nat({ max: 5000 }), fallbackUsers: fc.nat({ max: 5000 }), errorUsers: fc.nat({ max: 5000 }) });
  const guards = fc.record({
    minExposures: fc.integer({ min: 1, max: 3000 }),
    maxFallbackRate: fc.double({ min: 0, max: 1, noNaN: true }),
    maxErrorRate: fc.double({ min: 0, max: 1, noNaN: true }),
    compareToStable: fc.boolean(),
    tolerance: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  test('never a breach with fewer users than minExposures; wait exactly then', () => {
    fc.assert(
      fc.property(guards, counts, fc.option(counts), (g, gray, stable) => {
        const j = judgeGuard(g, gray, stable);
        const users = Math.max(gray.exposedUsers, gray.fallbackUsers, gray.errorUsers);
        expect(j.verdict === 'wait').toBe(users < g.minExposures);
        if (j.verdict === 'breach') expect(j.figures.gray.users).toBeGreaterThanOrEqual(g.minExposures);
      }),
    );
  });

  test('more failing users among the same users never turns a breach into a pass', () => {
    fc.assert(
      fc.property(guards, counts, fc.nat({ max: 100 }), fc.option(counts), (g, gray, more, stable) => {
        const users = Math.max(gray.exposedUsers, gray.fallbackUsers, gray.errorUsers);
        const worse = { ...gray, exposedUsers: users, fallbackUsers: Math.min(users, gray.fallbackUsers + more) };
        if (judgeGuard(g, gray, stable).verdict === 'breach') expect(judgeGuard(g, worse, stable).verdict).toBe('breach');
      }),
    );
  });

  test('rates stay within 0 and 1', () => {
    fc.assert(
      fc.property(guards, counts, (g, gray) => {
        const { fallbackRate, errorRate } = judgeGuard(g, gray, null).figures.gray;
        for (const r of [fallbackRate, errorRate]) if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
      }),
    );
  });
});
