import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FinchError, judgeGuard, nextStep, stageCount } from '../../../core/index.js';
import type { CheckOutcome, GuardJudgement, Hold, Rollout, RolloutPlan, RolloutState, Transition } from '../../../core/index.js';
import { batchPlan, percentPlan } from './plans.js';

const T0 = 1_700_000_000_000;
const HOLD = 60_000;
const GUARDED = percentPlan().guard!;
const PASS = judgeGuard(GUARDED, { exposedUsers: 500, fallbackUsers: 1, errorUsers: 0 }, null);
const BREACH = judgeGuard(GUARDED, { exposedUsers: 500, fallbackUsers: 50, errorUsers: 0 }, null);
const WAIT = judgeGuard(GUARDED, { exposedUsers: 20, fallbackUsers: 20, errorUsers: 0 }, null);
const at = (plan: RolloutPlan, stageIndex = 0, state: RolloutState = 'running'): Rollout => ({ plan, state, stageIndex, stageStartedAt: T0 });
const isHold = (s: Transition | Hold): s is Hold => s.kind === 'wait';

describe('nextStep while running', () => {
  test('holds until the stage hold has passed, even with the guard passing', () => {
    const step = nextStep(at(percentPlan()), T0 + HOLD - 1, PASS);
    expect(step).toEqual({ kind: 'wait', reason: 'Holding stage 1 of 3 (1%) until its 60 s hold has passed.', until: T0 + HOLD, needsCheck: false });
  });

  test('advances once the hold has passed and the guard passes, starting the next hold now', () => {
    const now = T0 + HOLD;
    const step = nextStep(at(percentPlan()), now, PASS);
    expect(step).toMatchObject({
      kind: 'advance',
      from: { state: 'running', stageIndex: 0, stageStartedAt: T0 },
      to: { state: 'running', stageIndex: 1, stageStartedAt: now },
      strategy: { status: 'gray', rule: { percent: 10 }, salt: 'rollout-7' },
      figures: PASS.figures,
    });
    expect(step.reason).toBe(`Stage 1 of 3 (1%) held 60 s. ${PASS.reason} Now at stage 2 of 3 (10%).`);
  });

  test('promotes after the last stage: the build goes full', () => {
    const step = nextStep(at(percentPlan(), 2), T0 + HOLD, PASS);
    expect(step).toMatchObject({ kind: 'promote', to: { state: 'completed', stageIndex: 2, stageStartedAt: T0 }, strategy: { status: 'full' } });
    expect(step.reason).toMatch(/full for every user; the full build it replaces stays as its fallback\.$/);
  });

  test('a breach rolls back at once, hold or not, with the figures', () => {
    const step = nextStep(at(percentPlan(), 1), T0 + 1, BREACH);
    expect(step).toMatchObject({ kind: 'rollback', to: { state: 'rolled-back', stageIndex: 1 }, strategy: { status: 'off' }, figures: BREACH.figures });
    expect(step.reason).toBe(`${BREACH.reason} Rolled back at stage 2 of 3 (10%): every user is on the stable build again.`);
  });

  test('a breach pauses a plan with onBreach: pause, leaving the strategy as it is', () => {
    const step = nextStep(at(percentPlan({ onBreach: 'pause' }), 1), T0 + 1, BREACH);
    expect(step).toMatchObject({ kind: 'pause', to: { state: 'paused', stageIndex: 1, stageStartedAt: T0 }, strategy: null, figures: BREACH.figures });
  });

  test('waits with the guard reason while too few users have seen the build', () => {
    expect(nextStep(at(percentPlan()), T0 + HOLD, WAIT)).toEqual({ kind: 'wait', reason: WAIT.reason, until: null, needsCheck: false });
  });

  test('a plan without a guard advances on time alone and ignores any judgement', () => {
    const plan = batchPlan();
    expect(nextStep(at(plan), T0 + 30_000, null)).toMatchObject({ kind: 'advance', to: { stageIndex: 1 }, figures: null });
    expect(nextStep(at(plan), T0 + 30_000, BREACH)).toMatchObject({ kind: 'advance' });
  });

  test('a guarded plan needs a judgement', () => {
    expect(() => nextStep(at(percentPlan()), T0 + HOLD, null)).toThrow(/needed/);
  });
});

describe('nextStep with a stage check', () => {
  const plan = percentPlan({ stages: [{ percent: 5, holdSeconds: 60, check: { url: 'https://ci.example/smoke' } }, { percent: 20, holdSeconds: 60 }] });
  const ok: CheckOutcome = { ok: true, detail: '204 No Content' };
  const failed: CheckOutcome = { ok: false, detail: '503 Service Unavailable' };

  test('asks for the check only once hold and guard are through', () => {
    expect(nextStep(at(plan), T0 + 1, PASS, ok)).toMatchObject({ kind: 'wait', until: T0 + HOLD, needsCheck: false });
    expect(nextStep(at(plan), T0 + HOLD, WAIT)).toMatchObject({ kind: 'wait', needsCheck: false });
    expect(nextStep(at(plan), T0 + HOLD, PASS)).toEqual({ kind: 'wait', reason: 'Checking https://ci.example/smoke before leaving stage 1 of 2 (5%).', until: null, needsCheck: true });
  });

  test('advances when the check answered 2xx, saying so', () => {
    const step = nextStep(at(plan), T0 + HOLD, PASS, ok);
    expect(step).toMatchObject({ kind: 'advance', to: { stageIndex: 1 } });
    expect(step.reason).toMatch(/The check passed: https:\/\/ci.example\/smoke answered 204 No Content\. Now at stage 2 of 2 \(20%\)\.$/);
  });

  test('pauses when the check failed', () => {
    const step = nextStep(at(plan), T0 + HOLD, PASS, failed);
    expect(step).toMatchObject({ kind: 'pause', to: { state: 'paused', stageIndex: 0 }, strategy: null });
    expect(step.reason).toMatch(/^The check of stage 1 of 2 \(5%\) failed: https:\/\/ci.example\/smoke answered 503 Service Unavailable, not 2xx\./);
  });

  test('a breach wins over a passing check', () => {
    expect(nextStep(at(plan), T0 + HOLD, BREACH, ok)).toMatchObject({ kind: 'rollback' });
  });
});

describe('nextStep when not running', () => {
  test.each<[RolloutState, 'pause' | 'rollback', GuardJudgement, string]>([
    ['paused', 'rollback', PASS, 'wait'],
    ['paused', 'pause', BREACH, 'wait'],
    ['paused', 'rollback', BREACH, 'rollback'],
    ['completed', 'rollback', BREACH, 'wait'],
    ['aborted', 'rollback', BREACH, 'wait'],
    ['rolled-back', 'rollback', BREACH, 'wait'],
  ])('%s with onBreach %s and a %s verdict: %s', (state, onBreach, judgement, kind) => {
    const step = nextStep(at(percentPlan({ onBreach }), 1, state), T0 + 10 * HOLD, judgement);
    expect(step.kind).toBe(kind);
    if (isHold(step)) expect(step.reason).toMatch(state === 'paused' ? /^Paused at stage 2 of 3 \(10%\): resume, advance or abort it\.$/ : new RegExp(`^The rollout has ended: ${state}\\.$`));
  });
});

describe('nextStep refuses rows no plan could make', () => {
  test.each<[string, Partial<Rollout>, number, string]>([
    ['a stage past the plan', { stageIndex: 3 }, T0, 'stageIndex'],
    ['a negative stage', { stageIndex: -1 }, T0, 'stageIndex'],
    ['an unknown state', { state: 'stuck' as RolloutState }, T0, 'state'],
    ['a start that is not epoch ms', { stageStartedAt: 1.5 }, T0, 'stageStartedAt'],
    ['a time that is not epoch ms', {}, NaN, 'now'],
  ])('%s', (_, over, now, field) => {
    try {
      nextStep({ ...at(percentPlan()), ...over }, now, PASS);
      expect.unreachable();
    } catch (error) {
      expect((error as FinchError).code).toBe('invalid-input');
      expect((error as FinchError).details.field).toBe(field);
    }
  });
});

describe('nextStep properties', () => {
  const verdicts = fc.constantFrom(PASS, BREACH, WAIT);
  const checks = fc.option(fc.record({ ok: fc.boolean(), detail: fc.constant('200 OK') }), { nil: undefined });
  const plans = fc.record({
    holds: fc.array(fc.nat({ max: 120 }), { minLength: 1, maxLength: 20 }),
    onBreach: fc.constantFrom('pause', 'rollback'),
    checked: fc.boolean(),
  }).map(({ holds, onBreach, checked }) =>
    percentPlan({ onBreach, stages: holds.map((holdSeconds, i) => ({ percent: i + 1, holdSeconds, ...(checked && i % 2 === 0 ? { check: { url: 'https://ci.example/ok' } } : {}) })) }),
  );
  const ticks = fc.array(fc.record({ dt: fc.nat({ max: 90_000 }), verdict: verdicts, check: checks }), { maxLength: 80 });

  test('moves one stage at a time, from the row it was given, never before the hold ends', () => {
    fc.assert(
      fc.property(plans, ticks, (plan, steps) => {
        let row = at(plan);
        let now = T0;
        for (const { dt, verdict, check } of steps) {
          now += dt;
          const step = nextStep(row, now, verdict, check);
          if (isHold(step)) continue;
          expect(step.from).toEqual({ state: row.state, stageIndex: row.stageIndex, stageStartedAt: row.stageStartedAt });
          expect(step.to.stageIndex - row.stageIndex).toBeGreaterThanOrEqual(0);
          expect(step.to.stageIndex - row.stageIndex).toBeLessThanOrEqual(1);
          if (step.kind === 'advance' || step.kind === 'promote') {
            expect(verdict.verdict).toBe('pass');
            expect(now).toBeGreaterThanOrEqual(row.stageStartedAt + (Array.isArray(plan.stages) ? plan.stages[row.stageIndex]!.holdSeconds : 0) * 1000);
          }
          if (step.kind === 'promote') expect(row.stageIndex).toBe(stageCount(plan) - 1);
          if (step.kind === 'pause' || step.kind === 'rollback') expect(verdict.verdict === 'breach' || check?.ok === false).toBe(true);
          row = { ...row, ...step.to };
        }
      }),
    );
  });

  test('two processes deciding from the same row decide the same write, so compare-and-set applies it once', () => {
    fc.assert(
      fc.property(plans, fc.nat({ max: 19 }), fc.nat({ max: 200_000 }), verdicts, checks, (plan, k, dt, verdict, check) => {
        const row = at(plan, k % stageCount(plan));
        const a = nextStep(row, T0 + dt, verdict, check);
        const b = nextStep(row, T0 + dt, verdict, check);
        expect(b).toEqual(a);
        if (isHold(a)) return;
        // The first write moves the row; the second finds it no longer at `from` and changes nothing.
        const after = { ...row, ...a.to };
        expect({ state: after.state, stageIndex: after.stageIndex, stageStartedAt: after.stageStartedAt }).not.toEqual((b as Transition).from);
      }),
    );
  });
});
