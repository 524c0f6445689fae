/** The "Start rollout" form: stages typed as percent:hold, the plan it sends, and the server's field mapped back. */
import { describe, expect, test } from 'vitest';
import { draftField, draftPlan, EMPTY_DRAFT, parseStages } from '../../console/pages/rolloutDraft.js';

describe('parseStages', () => {
  test.each([
    ['1:60, 10:300, 50:600', [[1, 60], [10, 300], [50, 600]]],
    ['1:10m; 10:1h\n50:2d', [[1, 600], [10, 3_600], [50, 172_800]]],
    [' 0.5% : 30s ,  100:0 ', [[0.5, 30], [100, 0]]],
    ['5:2H', [[5, 7_200]]],
    ['1:60,,10:60,', [[1, 60], [10, 60]]],
  ])('%j', (text, expected) => {
    expect(parseStages(text)).toEqual({ ok: true, stages: expected.map(([percent, holdSeconds]) => ({ percent, holdSeconds })) });
  });

  test.each([
    ['', '', 1],
    [' , ', '', 1],
    ['1:60, ten:60', 'ten:60', 2],
    ['10', '10', 1],
    ['10:1.5h', '10:1.5h', 1],
    ['10:60:5', '10:60:5', 1],
    ['-1:60', '-1:60', 1],
    ['10:5w', '10:5w', 1],
  ])('%j is refused at %j', (text, item, position) => {
    expect(parseStages(text)).toEqual({ ok: false, item, position });
  });
});

describe('draftPlan', () => {
  const draft = { ...EMPTY_DRAFT, resourceId: '42', stages: '1:60, 10:5m' };

  test('a guarded plan: percents become fractions, points become fractions', () => {
    expect(draftPlan('shop', { ...draft, maxFallbackPercent: '2', maxErrorPercent: '0.07', tolerancePoints: '1.5' })).toEqual({
      ok: true,
      plan: {
        product: 'shop', resourceId: 42, onBreach: 'rollback',
        stages: [{ percent: 1, holdSeconds: 60 }, { percent: 10, holdSeconds: 300 }],
        guard: { minExposures: 200, maxFallbackRate: 0.02, maxErrorRate: 0.0007, compareToStable: true, tolerance: 0.015 },
      },
    });
  });

  test('without comparing to stable there is no tolerance; without a guard, no guard', () => {
    const noCompare = draftPlan('shop', { ...draft, compareToStable: false, tolerancePoints: 'not read' });
    expect(noCompare.ok && noCompare.plan['guard']).toEqual({ minExposures: 200, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: false });
    const unguarded = draftPlan('shop', { ...draft, guarded: false, minExposures: 'not read', onBreach: 'pause' });
    expect(unguarded).toEqual({ ok: true, plan: { product: 'shop', resourceId: 42, onBreach: 'pause', stages: [{ percent: 1, holdSeconds: 60 }, { percent: 10, holdSeconds: 300 }] } });
  });

  test('an empty guard field is left out, for the server\'s default', () => {
    const r = draftPlan('shop', { ...draft, minExposures: ' ', maxErrorPercent: '', tolerancePoints: '' });
    expect(r.ok && r.plan['guard']).toEqual({ maxFallbackRate: 0.02, compareToStable: true });
  });

  test.each([
    ['no build', { resourceId: '' }, { field: 'resourceId', problem: 'number' }],
    ['bad stages', { stages: '1:60, x' }, { field: 'stages', problem: 'stages', item: 'x', position: 2 }],
    ['a minimum in words', { minExposures: 'many' }, { field: 'minExposures', problem: 'number' }],
    ['a rate in words', { maxErrorPercent: 'five' }, { field: 'maxErrorPercent', problem: 'number' }],
    ['a tolerance of Infinity', { tolerancePoints: 'Infinity' }, { field: 'tolerancePoints', problem: 'number' }],
  ])('%s: the field to mark', (_name, change, expected) => {
    expect(draftPlan('shop', { ...draft, ...change })).toEqual({ ok: false, ...expected });
  });

  test('ranges are the server\'s to check: a falling percent is sent as typed', () => {
    const r = draftPlan('shop', { ...draft, stages: '50:60, 10:60', minExposures: '-3' });
    expect(r.ok && r.plan['stages']).toEqual([{ percent: 50, holdSeconds: 60 }, { percent: 10, holdSeconds: 60 }]);
  });
});

test.each([
  ['stages[1].percent', 'stages'],
  ['stages', 'stages'],
  ['resourceId', 'resourceId'],
  ['guard.maxFallbackRate', 'maxFallbackPercent'],
  ['guard.maxErrorRate', 'maxErrorPercent'],
  ['guard.minExposures', 'minExposures'],
  ['guard.tolerance', 'tolerancePoints'],
  ['onBreach', 'onBreach'],
  ['salt', null],
  ['stagesX', null],
  [undefined, null],
  [42, null],
])('the server\'s field %j is the form\'s %j', (server, field) => {
  expect(draftField(server)).toBe(field);
});
