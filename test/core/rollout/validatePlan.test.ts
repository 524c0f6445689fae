import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FinchError, ROLLOUT_LIMITS, validatePlan } from '../../../core/index.js';
import { GUARD } from './plans.js';

const base = { product: 'shop', resourceId: 7, stages: [{ percent: 5, holdSeconds: 600 }] };
const batch = (batches: Record<string, unknown>, rest: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...base,
  stages: { batches: { combine: 1, schedule: 1, targets: [{ users: ['alice'] }], ...batches }, holdSeconds: 60, ...rest },
});
const targets = (...t: unknown[]): Record<string, unknown> => batch({ targets: t });
const stage = (s: Record<string, unknown>): Record<string, unknown> => ({ ...base, stages: [{ percent: 5, holdSeconds: 600, ...s }] });
const users = (n: number, prefix = 'u'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function fieldOf(input: unknown): unknown {
  try {
    validatePlan(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FinchError);
    expect((error as FinchError).code).toBe('invalid-input');
    expect((error as FinchError).message).toMatch(/^Invalid rollout plan: /);
    return (error as FinchError).details.field;
  }
  throw new Error('accepted');
}

describe('validatePlan refuses, naming the field', () => {
  test.each<[string, unknown, string]>([
    ['not an object', [], '$'],
    ['an unknown top-level key', { ...base, owner: 'me' }, 'owner'],
    ['a product name with capitals', { ...base, product: 'Shop' }, 'product'],
    ['a missing product', { ...base, product: undefined }, 'product'],
    ['resourceId 0', { ...base, resourceId: 0 }, 'resourceId'],
    ['a fractional resourceId', { ...base, resourceId: 1.5 }, 'resourceId'],
    ['resourceId as text', { ...base, resourceId: '7' }, 'resourceId'],
    ['a ten-digit resourceId', { ...base, resourceId: 1e10 }, 'resourceId'],
    ['stages as text', { ...base, stages: 'fast' }, 'stages'],
    ['no stages', { ...base, stages: [] }, 'stages'],
    ['21 stages', { ...base, stages: Array.from({ length: 21 }, (_, i) => ({ percent: i + 1, holdSeconds: 0 })) }, 'stages'],
    ['percent 0', stage({ percent: 0 }), 'stages[0].percent'],
    ['percent above 100', stage({ percent: 100.01 }), 'stages[0].percent'],
    ['percent finer than 0.01', stage({ percent: 0.005 }), 'stages[0].percent'],
    ['percent as text', stage({ percent: '5' }), 'stages[0].percent'],
    ['percent NaN', stage({ percent: NaN }), 'stages[0].percent'],
    ['equal percents', { ...base, stages: [{ percent: 5, holdSeconds: 0 }, { percent: 5, holdSeconds: 0 }] }, 'stages[1].percent'],
    ['falling percents', { ...base, stages: [{ percent: 50, holdSeconds: 0 }, { percent: 10, holdSeconds: 0 }] }, 'stages[1].percent'],
    ['a negative hold', stage({ holdSeconds: -1 }), 'stages[0].holdSeconds'],
    ['a fractional hold', stage({ holdSeconds: 1.5 }), 'stages[0].holdSeconds'],
    ['a missing hold', stage({ holdSeconds: undefined }), 'stages[0].holdSeconds'],
    ['a hold over 30 days', stage({ holdSeconds: 30 * 86_400 + 1 }), 'stages[0].holdSeconds'],
    ['an unknown stage key', stage({ weight: 1 }), 'stages[0].weight'],
    ['a check without url', stage({ check: {} }), 'stages[0].check.url'],
    ['an ftp check', stage({ check: { url: 'ftp://ci.example/ok' } }), 'stages[0].check.url'],
    ['a javascript: check', stage({ check: { url: 'javascript:alert(1)' } }), 'stages[0].check.url'],
    ['a check URL with user info', stage({ check: { url: 'https://ci.example@evil.example/ok' } }), 'stages[0].check.url'],
    ['a check URL with a space', stage({ check: { url: 'https://ci.example/a b' } }), 'stages[0].check.url'],
    ['a check URL with a control character', stage({ check: { url: 'https://ci.example/\n' } }), 'stages[0].check.url'],
    ['a check URL too long', stage({ check: { url: 'https://ci.example/' + 'a'.repeat(ROLLOUT_LIMITS.checkUrl) } }), 'stages[0].check.url'],
    ['a check timeout of 0', stage({ check: { url: 'https://ci.example/ok', timeoutSeconds: 0 } }), 'stages[0].check.timeoutSeconds'],
    ['a check timeout over a minute', stage({ check: { url: 'https://ci.example/ok', timeoutSeconds: 61 } }), 'stages[0].check.timeoutSeconds'],
    ['an unknown check key', stage({ check: { url: 'https://ci.example/ok', method: 'POST' } }), 'stages[0].check.method'],
    ['batch stages without batches', { ...base, stages: { holdSeconds: 60 } }, 'stages.batches'],
    ['batch stages without a hold', batch({}, { holdSeconds: undefined }), 'stages.holdSeconds'],
    ['an unknown batch-stages key', batch({}, { percent: 5 }), 'stages.percent'],
    ['no targets', targets(), 'stages.batches.targets'],
    ['201 targets', batch({ targets: Array.from({ length: 201 }, (_, i) => ({ users: [`u${i}`] })) }), 'stages.batches.targets'],
    ['an empty target', targets({}), 'stages.batches.targets[0]'],
    ['a target with users and attribute', targets({ users: ['a'], attribute: { attr: 'group', op: 'exists' } }), 'stages.batches.targets[0]'],
    ['an unknown target key', targets({ ip: ['10.0.0.0/8'] }), 'stages.batches.targets[0].ip'],
    ['an empty user list', targets({ users: [] }), 'stages.batches.targets[0].users'],
    ['an empty user id', targets({ users: ['alice', ''] }), 'stages.batches.targets[0].users[1]'],
    ['a user id that is a number', targets({ users: [42] }), 'stages.batches.targets[0].users[0]'],
    ['a user id past 256 characters', targets({ users: ['u'.repeat(257)] }), 'stages.batches.targets[0].users[0]'],
    ['over 10,000 user ids in one list', targets({ users: users(10_001) }), 'stages.batches.targets[0].users'],
    ['over 10,000 user ids over two lists', targets({ users: users(6_000, 'a') }, { users: users(6_000, 'b') }), 'stages.batches.targets'],
    ['an unknown operator', targets({ attribute: { attr: 'group', op: 'like', value: 'b%' } }), 'stages.batches.targets[0].attribute.op'],
    ['an invalid semver value', targets({ attribute: { attr: 'appVersion', op: 'semverGte', value: 'five' } }), 'stages.batches.targets[0].attribute.value'],
    ['both value and values', targets({ attribute: { attr: 'group', op: 'eq', value: 'a', values: ['b'] } }), 'stages.batches.targets[0].attribute'],
    ['an empty attribute name', targets({ attribute: { attr: '', op: 'exists' } }), 'stages.batches.targets[0].attribute.attr'],
    ['an attribute value past 256 characters', targets({ attribute: { attr: 'group', op: 'eq', value: 'v'.repeat(257) } }), 'stages.batches.targets[0].attribute.value'],
    ['an unknown attribute key', targets({ attribute: { attr: 'group', op: 'exists', not: true } }), 'stages.batches.targets[0].attribute.not'],
    ['combine 0', batch({ combine: 0 }), 'stages.batches.combine'],
    ['combine above the number of targets', batch({ combine: 2 }), 'stages.batches.combine'],
    ['schedule 0', batch({ schedule: 0 }), 'stages.batches.schedule'],
    ['schedule above the number of batches', batch({ targets: [{ users: ['a'] }, { users: ['b'] }], schedule: 3 }), 'stages.batches.schedule'],
    ['a batch plan of 21 stages', batch({ targets: Array.from({ length: 21 }, (_, i) => ({ users: [`u${i}`] })) }), 'stages.batches'],
    ['an unknown batches key', batch({ order: 'random' }), 'stages.batches.order'],
    ['a guard that is not an object', { ...base, guard: true }, 'guard'],
    ['minExposures 0', { ...base, guard: { ...GUARD, minExposures: 0 } }, 'guard.minExposures'],
    ['a guard with no limit', { ...base, guard: { minExposures: 50 } }, 'guard'],
    ['a guard with no limit and no comparison', { ...base, guard: { compareToStable: false } }, 'guard'],
    ['a rate above 1', { ...base, guard: { ...GUARD, maxErrorRate: 1.5 } }, 'guard.maxErrorRate'],
    ['a negative rate', { ...base, guard: { ...GUARD, maxFallbackRate: -0.01 } }, 'guard.maxFallbackRate'],
    ['a rate in percent as text', { ...base, guard: { ...GUARD, maxFallbackRate: '2%' } }, 'guard.maxFallbackRate'],
    ['compareToStable not a boolean', { ...base, guard: { ...GUARD, compareToStable: 'yes' } }, 'guard.compareToStable'],
    ['a tolerance without comparison', { ...base, guard: { ...GUARD, tolerance: 0.01 } }, 'guard.tolerance'],
    ['a tolerance above 1', { ...base, guard: { ...GUARD, compareToStable: true, tolerance: 2 } }, 'guard.tolerance'],
    ['an unknown guard key', { ...base, guard: { ...GUARD, window: 60 } }, 'guard.window'],
    ['onBreach stop', { ...base, onBreach: 'stop' }, 'onBreach'],
    ['priority 1000', { ...base, priority: 1000 }, 'priority'],
    ['a fractional priority', { ...base, priority: 0.5 }, 'priority'],
    ['an empty salt', { ...base, salt: '' }, 'salt'],
    ['a salt past 200 characters', { ...base, salt: 's'.repeat(201) }, 'salt'],
  ])('%s', (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  test('a limit is named in details', () => {
    try {
      validatePlan({ ...base, stages: Array.from({ length: 21 }, (_, i) => ({ percent: i + 1, holdSeconds: 0 })) });
      expect.unreachable();
    } catch (error) {
      expect((error as FinchError).details).toEqual({ field: 'stages', limit: 20 });
    }
  });
});

describe('validatePlan accepts', () => {
  test('a bare percent plan, with every default filled', () => {
    expect(validatePlan(base)).toEqual({
      product: 'shop',
      resourceId: 7,
      stages: [{ percent: 5, holdSeconds: 600, check: null }],
      guard: null,
      onBreach: 'rollback',
      priority: 0,
      salt: 'rollout-7',
    });
  });

  test('a guard\'s left-out fields: 10 users, no limit on a rate not named, no comparison', () => {
    expect(validatePlan({ ...base, guard: { maxFallbackRate: 0.05 } }).guard).toEqual({ minExposures: 10, maxFallbackRate: 0.05, maxErrorRate: 1, compareToStable: false, tolerance: 0.01 });
    expect(validatePlan({ ...base, guard: { compareToStable: true } }).guard).toEqual({ minExposures: 10, maxFallbackRate: 1, maxErrorRate: 1, compareToStable: true, tolerance: 0.01 });
  });

  test('a check with its default timeout, a guard with its default tolerance', () => {
    const plan = validatePlan({
      ...stage({ check: { url: 'https://ci.example:8443/smoke?build=7' } }),
      guard: { ...GUARD, compareToStable: true },
      onBreach: 'rollback',
      priority: -999,
      salt: 'spring',
    });
    expect(plan.stages).toEqual([{ percent: 5, holdSeconds: 600, check: { url: 'https://ci.example:8443/smoke?build=7', timeoutSeconds: 10 } }]);
    expect(plan.guard).toEqual({ ...GUARD, compareToStable: true, tolerance: 0.01 });
    expect([plan.onBreach, plan.priority, plan.salt]).toEqual(['rollback', -999, 'spring']);
  });

  test('percent in steps of 0.01, up to 100, and a zero hold', () => {
    const plan = validatePlan({ ...base, stages: [{ percent: 0.01, holdSeconds: 0 }, { percent: 0.07, holdSeconds: 0 }, { percent: 100, holdSeconds: 0 }] });
    expect(Array.isArray(plan.stages) && plan.stages.map((s) => s.percent)).toEqual([0.01, 0.07, 100]);
  });

  test('batches with users and attribute targets, exactly 10,000 entries and 20 stages', () => {
    const t = [{ users: users(9_998) }, { attribute: { attr: 'group', op: 'in', values: ['a', 'b'] } }, ...Array.from({ length: 18 }, () => ({ attribute: { attr: 'n', op: 'exists' } }))];
    const plan = validatePlan(batch({ targets: t }));
    expect(!Array.isArray(plan.stages) && plan.stages.batches.targets).toHaveLength(20);
  });

  test('the plan is a copy: changing the input later changes nothing', () => {
    const list = ['alice'];
    const values = ['eu'];
    const plan = validatePlan(targets({ users: list }, { attribute: { attr: 'region', op: 'in', values } }));
    list.push('mallory');
    values.push('us');
    expect(!Array.isArray(plan.stages) && plan.stages.batches.targets).toEqual([{ users: ['alice'] }, { attribute: { attr: 'region', op: 'in', values: ['eu'] } }]);
  });

  test('a validated plan, sent again as JSON, validates to itself', () => {
    const percents = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }).map((a) => a.sort((x, y) => x - y).map((b) => b / 100));
    fc.assert(
      fc.property(percents, fc.nat({ max: 86_400 }), fc.boolean(), fc.constantFrom('pause', 'rollback'), (ps, holdSeconds, guarded, onBreach) => {
        const plan = validatePlan({ ...base, stages: ps.map((percent) => ({ percent, holdSeconds })), guard: guarded ? { ...GUARD, compareToStable: true, tolerance: 0.02 } : null, onBreach });
        expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
      }),
    );
  });
});
