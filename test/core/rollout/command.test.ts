import { describe, expect, test } from 'vitest';
import { COMMANDS, command, FinchError, startRollout } from '../../../core/index.js';
import type { Rollout, RolloutCommand, RolloutPlan, RolloutState } from '../../../core/index.js';
import { batchPlan, percentPlan } from './plans.js';

const T0 = 1_700_000_000_000;
const NOW = T0 + 5_000;
const at = (plan: RolloutPlan, stageIndex = 0, state: RolloutState = 'running'): Rollout => ({ plan, state, stageIndex, stageStartedAt: T0 });

describe('command', () => {
  test.each<[RolloutState, RolloutCommand, string, RolloutState, number, number]>([
    ['running', 'pause', 'pause', 'paused', 1, T0],
    ['running', 'abort', 'abort', 'aborted', 1, T0],
    ['running', 'advance', 'advance', 'running', 2, NOW],
    ['paused', 'resume', 'resume', 'running', 1, NOW],
    ['paused', 'abort', 'abort', 'aborted', 1, T0],
    ['paused', 'advance', 'advance', 'running', 2, NOW],
  ])('%s + %s → %s, now %s at stage %d', (state, cmd, kind, to, stageIndex, stageStartedAt) => {
    const t = command(at(percentPlan(), 1, state), cmd, NOW, 'user:alice');
    expect(t.kind).toBe(kind);
    expect(t.from).toEqual({ state, stageIndex: 1, stageStartedAt: T0 });
    expect(t.to).toEqual({ state: to, stageIndex, stageStartedAt });
    expect(t.reason).toMatch(/by user:alice/);
    expect(t.figures).toBeNull();
  });

  test('what each command does to the gray strategy', () => {
    const plan = percentPlan();
    expect(command(at(plan, 1), 'pause', NOW).strategy).toBeNull();
    expect(command(at(plan, 1, 'paused'), 'resume', NOW).strategy).toBeNull();
    expect(command(at(plan, 1), 'abort', NOW).strategy).toEqual({ status: 'off' });
    expect(command(at(plan, 1), 'advance', NOW).strategy).toEqual({ status: 'gray', rule: { percent: 50 }, salt: 'rollout-7' });
  });

  test('advance from the last stage promotes the build to full', () => {
    const t = command(at(batchPlan(), 2), 'advance', NOW);
    expect(t).toMatchObject({ kind: 'promote', to: { state: 'completed', stageIndex: 2 }, strategy: { status: 'full' } });
    expect(t.reason).toMatch(/^Advanced by an operator from stage 3 of 3 \(batches 1–3 of 3\), without waiting/);
  });

  const illegal: [RolloutState, RolloutCommand][] = [];
  for (const state of Object.keys(COMMANDS) as RolloutState[]) {
    for (const cmd of ['pause', 'resume', 'abort', 'advance'] as const) if (!COMMANDS[state].includes(cmd)) illegal.push([state, cmd]);
  }

  test.each(illegal)('%s + %s is illegal-transition with what is allowed', (state, cmd) => {
    try {
      command(at(percentPlan(), 1, state), cmd, NOW);
      expect.unreachable();
    } catch (error) {
      expect((error as FinchError).code).toBe('illegal-transition');
      expect((error as FinchError).details).toEqual({ from: state, command: cmd, allowed: [...COMMANDS[state]] });
      expect((error as FinchError).message).toMatch(new RegExp(`^Failed to ${cmd} the rollout: it is ${state}, so `));
    }
  });

  test('the illegal pairs are the ones expected', () => {
    expect(illegal).toEqual([
      ['running', 'resume'],
      ['paused', 'pause'],
      ...(['completed', 'aborted', 'rolled-back'] as const).flatMap((s) => (['pause', 'resume', 'abort', 'advance'] as const).map((c) => [s, c])),
    ]);
  });

  test('an unknown command is invalid-input', () => {
    expect(() => command(at(percentPlan()), 'restart' as RolloutCommand, NOW)).toThrow(expect.objectContaining({ code: 'invalid-input', details: { field: 'command' } }));
  });
});

describe('startRollout', () => {
  test('starts running at stage 0 with the first stage rule', () => {
    expect(startRollout(percentPlan(), T0)).toEqual({
      position: { state: 'running', stageIndex: 0, stageStartedAt: T0 },
      strategy: { status: 'gray', rule: { percent: 1 }, salt: 'rollout-7' },
      reason: 'Started at stage 1 of 3 (1%).',
    });
  });
});
