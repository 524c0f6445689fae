import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bucketOf, compileRule, FinchError, liveTargets, planStage, stageCount, stageRule, validatePlan } from '../../../core/index.js';
import type { RequestContext, RolloutPlan } from '../../../core/index.js';
import { batchPlan, percentPlan } from './plans.js';

const ctx = (userId: string | null, attributes: RequestContext['attributes'] = {}): RequestContext => ({ userId, ip: null, attributes });
const compiled = (plan: RolloutPlan, k: number) => {
  const { rule, salt } = stageRule(plan, k);
  return compileRule(rule, { salt });
};

describe('stageRule of a percent plan', () => {
  test.each([
    [0, 1],
    [1, 10],
    [2, 50],
  ])('stage %d is {percent: %d} with the plan salt', (k, percent) => {
    const plan = percentPlan();
    expect(stageRule(plan, k)).toEqual({ rule: { percent }, salt: 'rollout-7' });
    expect(() => compiled(plan, k)).not.toThrow();
  });

  test('users are in exactly when their bucket under the plan salt is below percent × 100', () => {
    const plan = percentPlan({ salt: 'spring' });
    const rule = compiled(plan, 1);
    for (let i = 0; i < 2000; i++) expect(rule(ctx(`user-${i}`))).toBe(bucketOf('spring', `user-${i}`) < 1000);
  });

  test('a stage past the plan is invalid-input', () => {
    const plan = percentPlan();
    for (const k of [-1, 3, 1.5]) {
      expect(() => stageRule(plan, k)).toThrow(FinchError);
      expect(() => stageRule(plan, k)).toThrow(/stages run from 0 to 2/);
    }
  });

  test('a user in at one stage is in at every later stage (any salt, any steps)', () => {
    const steps = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 2, maxLength: 20 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(steps, fc.string({ minLength: 1, maxLength: 20 }), fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 50 }), (buckets, salt, ids) => {
        const plan = validatePlan({ product: 'shop', resourceId: 1, salt, stages: buckets.map((b) => ({ percent: b / 100, holdSeconds: 0 })) });
        const rules = buckets.map((_, k) => compiled(plan, k));
        for (const id of ids) {
          for (let k = 0; k + 1 < rules.length; k++) if (rules[k]!(ctx(id))) expect(rules[k + 1]!(ctx(id))).toBe(true);
        }
      }),
    );
  });
});

describe('stageRule of a batch plan', () => {
  test('stage k makes the first (k + 1) × schedule batches live, combine targets each', () => {
    const plan = batchPlan();
    expect(stageCount(plan)).toBe(3);
    expect(stageRule(plan, 0)).toEqual({ rule: { any: [{ users: ['alice', 'bob'] }, { attr: 'group', op: 'eq', value: 'beta' }] }, salt: 'rollout-8' });
    expect(liveTargets(plan, 1)).toHaveLength(4);
    expect(liveTargets(plan, 2)).toHaveLength(5);
    expect([0, 1, 2].map((k) => planStage(plan, k).batches)).toEqual([
      { from: 1, to: 1, of: 3 },
      { from: 1, to: 2, of: 3 },
      { from: 1, to: 3, of: 3 },
    ]);
  });

  test.each<[string, RequestContext, number | null]>([
    ['alice (batch 1, a user list)', ctx('alice'), 0],
    ['a beta-group user (batch 1, an attribute)', ctx('zed', { group: 'beta' }), 0],
    ['carol (batch 2)', ctx('carol'), 1],
    ['an eu-north user (batch 2, an attribute with values)', ctx(null, { 'header.x-region': 'eu-north' }), 1],
    ['erin (batch 3)', ctx('erin'), 2],
    ['mallory (no batch)', ctx('mallory', { group: 'alpha' }), null],
  ])('%s is first in at stage %s and stays in', (_, who, first) => {
    const plan = batchPlan();
    const inAt = [0, 1, 2].map((k) => compiled(plan, k)(who));
    expect(inAt).toEqual([0, 1, 2].map((k) => first !== null && k >= first));
  });

  test('schedule 2 puts two batches live per stage', () => {
    const plan = batchPlan({ stages: { batches: { combine: 1, schedule: 2, targets: ['a', 'b', 'c', 'd', 'e'].map((u) => ({ users: [u] })) }, holdSeconds: 0 } });
    expect(stageCount(plan)).toBe(3);
    expect([0, 1, 2].map((k) => stageRule(plan, k).rule)).toEqual([
      { any: [{ users: ['a'] }, { users: ['b'] }] },
      { any: [{ users: ['a'] }, { users: ['b'] }, { users: ['c'] }, { users: ['d'] }] },
      { any: [{ users: ['a'] }, { users: ['b'] }, { users: ['c'] }, { users: ['d'] }, { users: ['e'] }] },
    ]);
  });

  test('an exists target gives an attr rule without a value', () => {
    const plan = batchPlan({ stages: { batches: { combine: 1, schedule: 1, targets: [{ attribute: { attr: 'beta', op: 'exists' } }] }, holdSeconds: 0 } });
    expect(stageRule(plan, 0).rule).toEqual({ any: [{ attr: 'beta', op: 'exists' }] });
    expect(compiled(plan, 0)(ctx(null, { beta: true }))).toBe(true);
  });

  test('liveTargets of a percent plan is invalid-input', () => {
    expect(() => liveTargets(percentPlan(), 0)).toThrow(/percent rollout has no targets/);
  });

  test('every stage rule of any valid batch plan compiles, and audiences only grow', () => {
    const target = fc.oneof(
      fc.record({ users: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }) }),
      fc.record({ attribute: fc.record({ attr: fc.constantFrom('group', 'plan'), op: fc.constant('eq'), value: fc.constantFrom('a', 'b', 'c') }) }),
    );
    const shape = fc.array(target, { minLength: 1, maxLength: 40 }).chain((targets) =>
      fc.record({ targets: fc.constant(targets), combine: fc.integer({ min: 1, max: targets.length }) }).chain(({ targets, combine }) =>
        fc.record({ targets: fc.constant(targets), combine: fc.constant(combine), schedule: fc.integer({ min: 1, max: Math.ceil(targets.length / combine) }) }),
      ),
    );
    const who = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), group: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(shape, fc.array(who, { maxLength: 20 }), (batches, people) => {
        let plan: RolloutPlan;
        try {
          plan = validatePlan({ product: 'shop', resourceId: 1, stages: { batches, holdSeconds: 0 } });
        } catch (error) {
          // More than 20 stages is refused; nothing else about these shapes may be.
          expect((error as FinchError).details.field).toBe('stages.batches');
          return;
        }
        const rules = Array.from({ length: stageCount(plan) }, (_, k) => compiled(plan, k));
        expect(liveTargets(plan, rules.length - 1)).toHaveLength(batches.targets.length);
        for (const p of people) {
          const c = ctx(p.id, { group: p.group, plan: p.group });
          for (let k = 0; k + 1 < rules.length; k++) if (rules[k]!(c)) expect(rules[k + 1]!(c)).toBe(true);
        }
      }),
    );
  });
});
