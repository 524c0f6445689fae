/**
 * What `finch rollout` draws, as pure functions of a rollout and the local clock: the block of
 * `status` and `--watch` (stages done, current and ended at; the hold's time left, never negative;
 * the guard; the last decision and its figures, whatever else the figures hold), and the one-liners.
 */
import { describe, expect, test } from 'vitest';
import type { RolloutInfo } from '../../../core/apiTypes.js';
import { formatDuration, parseDuration } from '../../../server/cli/rollout/formatDuration.js';
import { changeLine, renderRollout, rolloutSummary } from '../../../server/cli/rollout/renderRollout.js';
import { asRollout } from '../../../server/cli/rollout/rolloutAnswer.js';
import { aRollout, iso, T0 } from './rolloutFixture.js';

const GUARD = '  guard: at least 200 exposures, fallback rate ≤ 2%, error rate ≤ 5%, at most 1 point above stable; on breach: rollback';

const BREACH_FIGURES = {
  counting: 'reports',
  window: { from: iso(T0), to: iso(T0 + 150_000) },
  gray: { resourceId: 42, exposures: 240, fallbacks: 12, errors: 1, fallbackRate: 0.05, errorRate: 1 / 240, sources: 3 },
  stable: { resourceId: 41, exposures: 1000, fallbacks: 10, errors: 2, fallbackRate: 0.01, errorRate: 0.002 },
  comparedToStable: true,
  // Fields this command does not know yet: the server is adding some.
  users: { gray: 200 },
  newField: [1, 2],
};

const FIVE_TARGETS = ['a', 'b', 'c', 'd', 'e'].map((u) => ({ users: [u] }));

const CASES: Array<{ name: string; rollout: RolloutInfo; now: number; version: string | null; lines: string[] }> = [
  {
    name: 'running mid-hold: the current stage with its time left and check, no figures yet',
    rollout: aRollout(),
    now: T0 + 1_075_000,
    version: '2.0.0',
    lines: [
      'rollout 7 · shop 2.0.0 (resource 42) · running',
      '  ✓ stage 1 of 3 (1%)   hold 10m',
      '  ▶ stage 2 of 3 (10%)  hold 30m · 12m 5s left · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 17m 55s ago: Advanced to stage 2 of 3 (10%).',
    ],
  },
  {
    name: 'paused at the first stage, the version unknown: no countdown',
    rollout: aRollout({ state: 'paused', stageIndex: 0, decision: { reason: 'Paused by user:alice at stage 1 of 3 (1%).', figures: null, at: iso(T0 + 60_000) } }),
    now: T0 + 120_000,
    version: null,
    lines: [
      'rollout 7 · shop resource 42 · paused',
      '  ▶ stage 1 of 3 (1%)   hold 10m · paused: the hold starts again on resume',
      '    stage 2 of 3 (10%)  hold 30m · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 1m ago: Paused by user:alice at stage 1 of 3 (1%).',
    ],
  },
  {
    name: 'rolled back by the guard: the stage it ended at, the figures it rested on, unknown fields ignored',
    rollout: aRollout({ state: 'rolled-back', decision: { reason: 'Guard breached: the fallback rate is 5%.', figures: BREACH_FIGURES, at: iso(T0 + 150_000) } }),
    now: T0 + 180_000,
    version: '2.0.0',
    lines: [
      'rollout 7 · shop 2.0.0 (resource 42) · rolled-back',
      '  ✓ stage 1 of 3 (1%)   hold 10m',
      '  ✗ stage 2 of 3 (10%)  hold 30m · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 30s ago: Guard breached: the fallback rate is 5%.',
      '  guard figures (counting reports, window 2m 30s):',
      '    gray   resource 42: 240 exposures · 12 fallbacks (5%) · 1 error (0.42%)',
      '    stable resource 41: 1,000 exposures · 10 fallbacks (1%) · 2 errors (0.2%)',
    ],
  },
  {
    name: 'figures counted in users, some reports unsigned',
    rollout: aRollout({
      decision: {
        reason: 'Waiting for 200 users.',
        figures: { counting: 'users-and-unsigned-reports', window: { from: iso(T0), to: iso(T0 + 60_000) }, gray: { resourceId: 42, exposures: 150, fallbacks: 1, errors: 0, fallbackRate: 1 / 150, errorRate: 0, unsigned: 12 }, stable: null, comparedToStable: false },
        at: iso(T0 + 60_000),
      },
    }),
    now: T0 + 60_000,
    version: '2.0.0',
    lines: [
      'rollout 7 · shop 2.0.0 (resource 42) · running',
      '  ✓ stage 1 of 3 (1%)   hold 10m',
      '  ▶ stage 2 of 3 (10%)  hold 30m · 29m left · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 0s ago: Waiting for 200 users.',
      '  guard figures (counting users and unsigned reports, window 1m):',
      '    gray   resource 42: 150 exposures · 1 fallback (0.67%) · 0 errors (0%) · 12 unsigned',
    ],
  },
  {
    name: 'a guard still waiting: no rates without users, no stable build compared',
    rollout: aRollout({
      stageIndex: 0,
      decision: { reason: 'Started.', figures: { gray: { resourceId: 42, exposures: 0, fallbacks: 0, errors: 0, fallbackRate: null, errorRate: null }, stable: null, comparedToStable: false }, at: iso(T0) },
    }),
    now: T0 + 5_000,
    version: '2.0.0',
    lines: [
      'rollout 7 · shop 2.0.0 (resource 42) · running',
      '  ▶ stage 1 of 3 (1%)   hold 10m · 9m 55s left',
      '    stage 2 of 3 (10%)  hold 30m · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 5s ago: Started.',
      '  guard figures:',
      '    gray   resource 42: 0 exposures · 0 fallbacks · 0 errors',
    ],
  },
  {
    name: 'a completed batch plan without a guard: every stage done',
    rollout: aRollout({
      id: 8,
      resourceId: 43,
      state: 'completed',
      stageIndex: 2,
      plan: { product: 'shop', resourceId: 43, stages: { batches: { combine: 2, schedule: 1, targets: FIVE_TARGETS }, holdSeconds: 90_061, check: null }, guard: null, onBreach: 'pause', priority: 0, salt: 'rollout-43' },
      decision: { reason: 'The build is now full for every user.', figures: 'not an object', at: iso(T0) },
    }),
    now: T0,
    version: '3.1.0',
    lines: [
      'rollout 8 · shop 3.1.0 (resource 43) · completed',
      '  ✓ stage 1 of 3 (batches 1–1 of 3)  hold 1d 1h 1m 1s',
      '  ✓ stage 2 of 3 (batches 1–2 of 3)  hold 1d 1h 1m 1s',
      '  ✓ stage 3 of 3 (batches 1–3 of 3)  hold 1d 1h 1m 1s',
      '  no guard: each stage advances once its hold (and check) is through',
      '  last decision, 0s ago: The build is now full for every user.',
    ],
  },
  {
    name: 'aborted at the first stage',
    rollout: aRollout({ state: 'aborted', stageIndex: 0, decision: { reason: 'Aborted by token:3.', figures: null, at: iso(T0) } }),
    now: T0 + 3_600_000,
    version: '2.0.0',
    lines: [
      'rollout 7 · shop 2.0.0 (resource 42) · aborted',
      '  ✗ stage 1 of 3 (1%)   hold 10m',
      '    stage 2 of 3 (10%)  hold 30m · check https://ci.example/smoke/shop',
      '    stage 3 of 3 (50%)  hold 1h',
      GUARD,
      '  last decision, 1h ago: Aborted by token:3.',
    ],
  },
];

describe('renderRollout', () => {
  test.each(CASES)('$name', ({ rollout, now, version, lines }) => {
    expect(renderRollout(rollout, now, version)).toEqual(lines);
  });

  test('a limit left out of the plan (filled in as 100 %) is not shown', () => {
    const plan = { ...aRollout().plan, guard: { minExposures: 10, maxFallbackRate: 1, maxErrorRate: 0.05, compareToStable: false, tolerance: 0.01 } };
    expect(renderRollout(aRollout({ plan }), T0)[4]).toBe('  guard: at least 10 exposures, error rate ≤ 5%; on breach: rollback');
  });

  // The current stage (30 min hold) started at T0; the local clock may be anywhere after it.
  test.each([
    [0, '30m left'],
    [1_799_001, '1s left'],
    [1_800_000, 'hold over'],
    [5_000_000, 'hold over'],
  ])('%i ms into a 30 min hold: %s', (elapsed, left) => {
    expect(renderRollout(aRollout(), T0 + elapsed)[2]).toBe(`  ▶ stage 2 of 3 (10%)  hold 30m · ${left} · check https://ci.example/smoke/shop`);
  });
});

describe('one-line forms', () => {
  test('the summary of list and the commands', () => {
    expect(rolloutSummary(aRollout(), '2.0.0')).toBe('rollout 7 · shop 2.0.0 (resource 42) · running at stage 2 of 3 (10%)');
    expect(rolloutSummary(aRollout({ state: 'paused' }))).toBe('rollout 7 · shop resource 42 · paused at stage 2 of 3 (10%)');
  });

  test('the line a log gets at a change, with the figures when there are some', () => {
    expect(changeLine(aRollout())).toBe('rollout 7 · running at stage 2 of 3 (10%): Advanced to stage 2 of 3 (10%).');
    const breached = aRollout({ state: 'rolled-back', decision: { reason: 'Guard breached.', figures: BREACH_FIGURES, at: iso(T0) } });
    expect(changeLine(breached)).toBe('rollout 7 · rolled-back at stage 2 of 3 (10%): Guard breached. '
      + '[gray 240 exposures · 12 fallbacks (5%) · 1 error (0.42%); stable 1,000 exposures · 10 fallbacks (1%) · 2 errors (0.2%)]');
  });
});

describe('durations', () => {
  test.each([[0, '0s'], [45, '45s'], [600, '10m'], [3725, '1h 2m 5s'], [90_061, '1d 1h 1m 1s'], [-5, '0s']])('%i s is %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });

  test.each([['600', 600], ['90s', 90], ['30m', 1800], ['2h', 7200], ['1d', 86_400], ['1.5h', null], ['-1', null], ['m', null], ['', null]])('"%s" is %s seconds', (text, s) => {
    expect(parseDuration(text)).toBe(s);
  });
});

describe('the server\'s answer read as a rollout before it is drawn', () => {
  test('fields it does not know are kept', () => {
    const newer = { ...aRollout(), shadowTraffic: { percent: 5 } };
    expect(asRollout(newer)).toBe(newer);
  });

  test.each<[string, unknown, string]>([
    ['an error page', { error: { code: 'invalid-response', message: '<html>' } }, 'no id, product or resourceId'],
    ['a list', [aRollout()], 'not an object'],
    ['a state it does not know', { ...aRollout(), state: 'exploded' }, 'unknown state "exploded"'],
    ['a stage past its plan', { ...aRollout(), stageIndex: 3 }, 'stageIndex is not one of its stages'],
    ['stages of another shape', { ...aRollout(), plan: { ...aRollout().plan, stages: [{ share: 5 }] } }, 'plan.stages is not a list of {percent, holdSeconds}'],
    ['no decision', { ...aRollout(), decision: null }, 'no decision'],
  ])('%s is an error that says what is wrong', (_name, json, what) => {
    expect(() => asRollout(json)).toThrow(`The server's answer is not a rollout (${what}). Check that --endpoint is a Finch control plane of this version.`);
  });
});
