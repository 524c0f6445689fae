import { describe, expect, test } from 'vitest';
import { compileRule } from '../../core/rules/compileRule.js';
import type { Rule } from '../../core/rules/Rule.js';
import { NODE_KINDS, OPERATORS, changeKind, emptyNode, type NodeKind, kindOf, setAttr, splitList, toRuleValue, valuesText } from '../../console/ruleBuilder/ruleDraft.js';
import { ruleShapeProblem } from '../../console/ruleBuilder/ruleShape.js';
import { OPERATORS as CORE_OPERATORS } from '../../core/rules/attrMatcher.js';

describe('rule builder pieces', () => {
  test.each([
    ['alice, bob\ncarol  alice', ['alice', 'bob', 'carol']],
    ['  \n ,, ', []],
    ['10.0.0.0/8\t192.0.2.7', ['10.0.0.0/8', '192.0.2.7']],
  ])('splitList(%j)', (text, list) => {
    expect(splitList(text)).toEqual(list);
  });

  test('the builder offers every operator of the rule language', () => {
    expect([...OPERATORS].sort()).toEqual([...CORE_OPERATORS].sort());
  });

  test.each(NODE_KINDS)('an empty %s node is a valid rule of its kind', (kind) => {
    const node = emptyNode(kind);
    expect(kindOf(node)).toBe(kind);
    expect(ruleShapeProblem(node)).toBeNull();
    if (kind !== 'attr') expect(() => compileRule(node, { salt: '1' })).not.toThrow();
  });

  test.each([
    ['group', 'eq', 'beta', { attr: 'group', op: 'eq', value: 'beta' }],
    ['group', 'in', 'beta', { attr: 'group', op: 'in', values: ['beta'] }],
    ['group', 'in', 'a, b', { attr: 'group', op: 'in', values: ['a', 'b'] }],
    ['age', 'gte', '18', { attr: 'age', op: 'gte', value: 18 }],
    ['age', 'eq', '18', { attr: 'age', op: 'eq', value: '18' }],
    ['plan', 'exists', 'ignored', { attr: 'plan', op: 'exists' }],
    ['v', 'semverGte', ' 2.0.0 ', { attr: 'v', op: 'semverGte', value: '2.0.0' }],
  ] as const)('setAttr(%s, %s, %j)', (attr, op, text, rule) => {
    expect(setAttr(attr, op, text)).toEqual(rule);
    expect(() => compileRule(rule, { salt: '1' })).not.toThrow();
  });

  test.each<[Rule | null, NodeKind, Rule]>([
    [{ users: ['alice'] }, 'any', { any: [{ users: ['alice'] }] }],
    [{ users: ['alice'] }, 'all', { all: [{ users: ['alice'] }] }],
    [{ percent: 5 }, 'not', { not: { percent: 5 } }],
    [{ percent: 5 }, 'percent', { percent: 5 }],
    [{ percent: 5 }, 'ip', { ip: [] }],
    [null, 'users', { users: [] }],
  ])('changeKind(%j, %s) keeps what was typed where it can', (rule, kind, after) => {
    expect(changeKind(rule, kind)).toEqual(after);
  });

  test('values show as the text they were typed as', () => {
    expect(valuesText({ values: ['a', 2, true] })).toBe('a, 2, true');
    expect(valuesText({ value: 3 })).toBe('3');
    expect(valuesText({})).toBe('');
    expect(toRuleValue('abc', 'gt')).toBe('abc');
  });
});

describe('ruleShapeProblem', () => {
  test.each([
    [[], '$: a rule is an object'],
    [{}, '$: a rule has exactly one of'],
    [{ users: ['a'], percent: 1 }, '$: a rule has exactly one of'],
    [{ any: [] }, '$.any: a non-empty list'],
    [{ any: [{ users: 'alice' }] }, '$.any[0].users'],
    [{ all: [{ percent: 5 }, { attr: 'g', op: 'like', value: 'x' }] }, '$.all[1].op'],
    [{ attr: 'g', op: 'eq' }, 'exactly one of "value" or "values"'],
    [{ attr: 'g', op: 'exists', value: 1 }, 'exists takes no value'],
    [{ attr: 'g', op: 'in', values: [] }, '$.values'],
    [{ not: { percent: 101 } }, '$.not.percent'],
    [{ users: ['a'], extra: 1 }, 'unknown key next to "users"'],
    [{ percent: 5, extra: 1 }, 'unknown key next to "percent"'],
  ])('%j', (rule, problem) => {
    expect(ruleShapeProblem(rule)).toContain(problem);
  });

  test('valid rules from docs/rules.md pass', () => {
    for (const r of [
      { users: ['alice', 'bob'] }, { percent: 10 }, { attr: 'group', op: 'eq', value: 'beta' },
      { all: [{ attr: 'header.x-region', op: 'in', values: ['eu-west', 'eu-north'] }, { percent: 25 }] },
      { any: [{ ip: ['10.0.0.0/8'] }, { attr: 'appVersion', op: 'semverGte', value: '5.0.0' }] },
      { not: { attr: 'claim.plan', op: 'eq', value: 'free' } },
    ]) expect(ruleShapeProblem(r)).toBeNull();
  });
});
