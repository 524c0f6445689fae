/** The rollout page's steps: which stage is done, current, stopped or to come, and the hold's time left. */
import { describe, expect, test } from 'vitest';
import type { RolloutPlan } from '../../core/rollout/RolloutPlan.js';
import type { RolloutState } from '../../core/rollout/Rollout.js';
import { followingStep, holdLeftMs, rolloutSteps } from '../../console/pages/rolloutStages.js';

const percentPlan: RolloutPlan = {
  product: 'shop', resourceId: 7, guard: null, onBreach: 'pause', priority: 0, salt: 'rollout-7',
  stages: [
    { percent: 1, holdSeconds: 60, check: null },
    { percent: 10, holdSeconds: 300, check: { url: 'https://ci.example/smoke', timeoutSeconds: 10 } },
    { percent: 50, holdSeconds: 600, check: null },
  ],
};
const batchPlan: RolloutPlan = {
  ...percentPlan,
  stages: {
    batches: { combine: 2, schedule: 1, targets: [{ users: ['alice'] }, { users: ['bob'] }, { attribute: { attr: 'group', op: 'eq', value: 'beta' } }] },
    holdSeconds: 120,
    check: null,
  },
};

const at = (state: RolloutState, stageIndex: number, plan = percentPlan) => ({ plan, state, stageIndex, stageStartedAt: '2026-01-01T10:00:00.000Z' });
const statuses = (state: RolloutState, stageIndex: number) => {
  const s = rolloutSteps(at(state, stageIndex));
  return [...s.stages.map((x) => x.status), s.full];
};

describe('rolloutSteps', () => {
  test.each([
    ['running', 0, ['current', 'pending', 'pending', 'pending']],
    ['running', 1, ['done', 'current', 'pending', 'pending']],
    ['paused', 2, ['done', 'done', 'current', 'pending']],
    ['completed', 2, ['done', 'done', 'done', 'done']],
    ['aborted', 1, ['done', 'stopped', 'skipped', 'skipped']],
    ['rolled-back', 0, ['stopped', 'skipped', 'skipped', 'skipped']],
  ] as const)('%s at stage %i: %j', (state, index, expected) => {
    expect(statuses(state, index)).toEqual(expected);
  });

  test('percent stages carry their percent, hold, check and audience rule', () => {
    const [, second] = rolloutSteps(at('running', 0)).stages;
    expect(second).toEqual({ index: 1, status: 'pending', percent: 10, batches: null, audience: { percent: 10 }, holdSeconds: 300, checkUrl: 'https://ci.example/smoke' });
  });

  test('batch stages accumulate batches, and their audience is the live targets', () => {
    const { stages } = rolloutSteps(at('running', 0, batchPlan));
    expect(stages.map((s) => s.batches)).toEqual([{ to: 1, of: 2 }, { to: 2, of: 2 }]);
    expect(stages[0]!.audience).toEqual({ any: [{ users: ['alice'] }, { users: ['bob'] }] });
    expect(stages[1]!.audience).toEqual({ any: [{ users: ['alice'] }, { users: ['bob'] }, { attr: 'group', op: 'eq', value: 'beta' }] });
    expect(stages.every((s) => s.percent === null && s.holdSeconds === 120)).toBe(true);
  });

  test('the step an advance moves to, or null before the build goes full', () => {
    expect(followingStep(at('running', 1))?.percent).toBe(50);
    expect(followingStep(at('paused', 2))).toBeNull();
  });
});

describe('holdLeftMs', () => {
  const start = Date.parse('2026-01-01T10:00:00.000Z');
  test.each([
    ['running, 20 s into a 60 s hold', 'running', 0, start + 20_000, 40_000],
    ['running, past the hold', 'running', 0, start + 90_000, 0],
    ['running, at the second stage (300 s)', 'running', 1, start + 1_000, 299_000],
    ['paused: the hold starts again on resume', 'paused', 0, start + 20_000, null],
    ['completed', 'completed', 2, start, null],
    ['aborted', 'aborted', 0, start, null],
  ] as const)('%s', (_name, state, index, now, expected) => {
    expect(holdLeftMs(at(state, index), now)).toBe(expected);
  });

  test('an unreadable start time counts nothing down', () => {
    expect(holdLeftMs({ ...at('running', 0), stageStartedAt: 'soon' }, start)).toBeNull();
  });
});
