/** The guard beside its last decision: reading the figures the server sends, and each line's verdict. */
import { describe, expect, test } from 'vitest';
import type { RolloutGuard } from '../../core/rollout/RolloutPlan.js';
import { guardLines, readFigures, unsignedUsers } from '../../console/pages/rolloutGuard.js';

const guard: RolloutGuard = { minExposures: 100, maxFallbackRate: 0.02, maxErrorRate: 0.08, compareToStable: true, tolerance: 0.01 };
const build = (resourceId: number, exposures: number, fallbacks: number, errors: number) => ({
  resourceId, exposures, fallbacks, errors,
  fallbackRate: exposures === 0 ? null : fallbacks / exposures,
  errorRate: exposures === 0 ? null : errors / exposures,
});
const figures = (gray: ReturnType<typeof build>, stable: ReturnType<typeof build> | null, comparedToStable = stable !== null) => ({
  counting: 'reports', window: { from: '2026-01-01T10:00:00.000Z', to: '2026-01-01T10:10:00.000Z' }, gray, stable, comparedToStable,
});

describe('readFigures', () => {
  test('reads the known fields and leaves the rest out', () => {
    const raw = { ...figures(build(7, 200, 1, 0), build(3, 900, 9, 9)), sources: 12, gray: { ...build(7, 200, 1, 0), networks: 4 } };
    expect(readFigures(raw)).toEqual(figures(build(7, 200, 1, 0), build(3, 900, 9, 9)));
  });

  test('unsigned reports counted as users are read when they are counts, and summed over both builds', () => {
    const raw = { ...figures({ ...build(7, 200, 1, 0), unsigned: 4 } as never, { ...build(3, 900, 9, 9), unsigned: 'many' } as never), counting: 'users-and-unsigned-reports' };
    const read = readFigures(raw)!;
    expect(read.gray.unsigned).toBe(4);
    expect(read.stable).toEqual(build(3, 900, 9, 9));
    expect(unsignedUsers(read)).toBe(4);
    expect(unsignedUsers(readFigures({ ...raw, stable: { ...build(3, 900, 9, 9), unsigned: 2 } })!)).toBe(6);
  });

  test.each([
    ['null', null],
    ['a string', 'figures'],
    ['an array', []],
    ['no gray build', { counting: 'reports', stable: null }],
    ['a gray count that is not a count', figures({ ...build(7, 200, 1, 0), exposures: -1 }, null)],
    ['a rate above 1', figures({ ...build(7, 200, 1, 0), errorRate: 2 }, null)],
    ['a rate as text', figures({ ...build(7, 200, 1, 0), fallbackRate: '1%' as never }, null)],
  ])('%s: null', (_name, raw) => {
    expect(readFigures(raw)).toBeNull();
  });

  test('an unreadable stable build is left out, the gray build kept; a missing window is empty', () => {
    const read = readFigures({ gray: build(7, 10, 0, 0), stable: { resourceId: 3 } });
    expect(read).toEqual({ counting: '', window: { from: '', to: '' }, gray: build(7, 10, 0, 0), stable: null, comparedToStable: false });
  });
});

describe('guardLines', () => {
  const verdicts = (f: ReturnType<typeof figures> | null) => guardLines(guard, f).map((l) => l.verdict);

  test('without figures: the limits, nothing judged', () => {
    const lines = guardLines(guard, null);
    expect(lines.map((l) => [l.figure, l.limit, l.gray, l.stable, l.verdict])).toEqual([
      ['exposures', 100, null, null, null], ['fallbackRate', 0.02, null, null, null], ['errorRate', 0.08, null, null, null],
    ]);
  });

  test.each([
    ['within every limit', figures(build(7, 200, 2, 4), build(3, 500, 5, 10)), ['ok', 'ok', 'ok']],
    ['too few exposures yet', figures(build(7, 50, 0, 0), null), ['too-few', 'ok', 'ok']],
    ['a fallback rate above its limit', figures(build(7, 200, 6, 0), null), ['ok', 'over-limit', 'ok']],
    ['a rate equal to its limit passes', figures(build(7, 200, 4, 16), null), ['ok', 'ok', 'ok']],
    ['an error rate above stable by more than the tolerance', figures(build(7, 200, 0, 8), build(3, 1000, 0, 10)), ['ok', 'ok', 'over-stable']],
    // 0.07 − 0.06 is a hair over 0.01 in binary: exactly the tolerance still passes.
    ['exactly the tolerance above stable passes', figures(build(7, 100, 0, 7), build(3, 100, 0, 6)), ['ok', 'ok', 'ok']],
    ['not compared with stable: only the limits count', figures(build(7, 200, 0, 8), build(3, 1000, 0, 10), false), ['ok', 'ok', 'ok']],
  ])('%s', (_name, f, expected) => {
    expect(verdicts(f)).toEqual(expected);
  });

  test('more failing reports than exposures still count as users for the minimum (as judgeGuard does)', () => {
    expect(verdicts(figures({ ...build(7, 90, 120, 0), fallbackRate: 1 }, null))[0]).toBe('ok');
  });

  test('a rate line carries its counts beside the rates', () => {
    const [, fallback] = guardLines(guard, figures(build(7, 200, 5, 0), build(3, 400, 4, 0)));
    expect(fallback).toMatchObject({ gray: { value: 0.025, count: 5 }, stable: { value: 0.01, count: 4 }, verdict: 'over-limit' });
  });
});
