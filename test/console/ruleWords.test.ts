import { describe, expect, test } from 'vitest';
import type { Rule } from '../../core/rules/Rule.js';
import { ruleWords } from '../../console/ruleWords.js';

const CASES: Array<[string, Rule | null, string, string]> = [
  ['no rule', null, 'nobody', '无人'],
  ['one user', { users: ['alice'] }, 'alice', 'alice'],
  ['two users', { users: ['alice', 'bob'] }, 'alice and bob', 'alice 和 bob'],
  ['many users', { users: ['alice', 'bob', 'carol'] }, 'alice and 2 more', 'alice 等另外 2 人'],
  ['empty user list', { users: [] }, 'no users', '没有用户'],
  ['percent', { percent: 10 }, '10% of users', '10% 的用户'],
  ['percent in hundredths', { percent: 6.61 }, '6.61% of users', '6.61% 的用户'],
  ['attribute equals', { attr: 'group', op: 'eq', value: 'beta' }, 'group = beta', 'group = beta'],
  ['attribute not equal', { attr: 'group', op: 'neq', value: 'beta' }, 'group ≠ beta', 'group ≠ beta'],
  ['in, several', { attr: 'header.x-region', op: 'in', values: ['eu-west', 'eu-north'] }, 'header.x-region in eu-west, eu-north', 'header.x-region 属于 eu-west、eu-north'],
  ['in, one', { attr: 'group', op: 'in', values: ['beta'] }, 'group = beta', 'group = beta'],
  ['notIn', { attr: 'group', op: 'notIn', values: ['a', 'b'] }, 'group not in a, b', 'group 不属于 a、b'],
  ['eq with values', { attr: 'group', op: 'eq', values: ['a', 'b'] }, 'group in a, b', 'group 属于 a、b'],
  ['long value list', { attr: 'country', op: 'in', values: ['a', 'b', 'c', 'd', 'e'] }, 'country in a, b, c and 2 more', 'country 属于 a、b、c 等另外 2 项'],
  ['contains', { attr: 'email', op: 'contains', value: '@corp' }, 'email contains @corp', 'email 包含 @corp'],
  ['startsWith', { attr: 'path', op: 'startsWith', value: '/beta' }, 'path starts with /beta', 'path 开头是 /beta'],
  ['endsWith', { attr: 'email', op: 'endsWith', value: '.cn' }, 'email ends with .cn', 'email 结尾是 .cn'],
  ['gt number', { attr: 'age', op: 'gt', value: 18 }, 'age > 18', 'age > 18'],
  ['gte', { attr: 'age', op: 'gte', value: 18 }, 'age ≥ 18', 'age ≥ 18'],
  ['lt', { attr: 'age', op: 'lt', value: 65 }, 'age < 65', 'age < 65'],
  ['lte, several values', { attr: 'age', op: 'lte', values: [1, 2] }, 'age ≤ 1 or 2', 'age ≤ 1 或 2'],
  ['semverGte', { attr: 'version', op: 'semverGte', value: '2.0' }, 'version ≥ 2.0 (version)', 'version ≥ 2.0（按版本号）'],
  ['semverLt', { attr: 'appVersion', op: 'semverLt', value: '5.0.0' }, 'appVersion < 5.0.0 (version)', 'appVersion < 5.0.0（按版本号）'],
  ['semverGt', { attr: 'v', op: 'semverGt', value: '1.0.0' }, 'v > 1.0.0 (version)', 'v > 1.0.0（按版本号）'],
  ['semverLte', { attr: 'v', op: 'semverLte', value: '1.0.0' }, 'v ≤ 1.0.0 (version)', 'v ≤ 1.0.0（按版本号）'],
  ['exists', { attr: 'claim.plan', op: 'exists' }, 'claim.plan is set', 'claim.plan 已设置'],
  ['boolean value', { attr: 'beta', op: 'eq', value: true }, 'beta = true', 'beta = true'],
  ['one IP range', { ip: ['10.0.0.0/8'] }, 'IP in 10.0.0.0/8', 'IP 属于 10.0.0.0/8'],
  ['many IP ranges', { ip: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '172.16.0.0/12'] }, 'IP in 10.0.0.0/8, 192.0.2.7, 2001:db8::/32 and 1 more', 'IP 属于 10.0.0.0/8、192.0.2.7、2001:db8::/32 等另外 1 项'],
  ['any group', { any: [{ users: ['alice'] }, { percent: 10 }] }, 'any of: alice; 10% of users', '满足任一：alice；10% 的用户'],
  ['all group', { all: [{ attr: 'group', op: 'eq', value: 'beta' }, { percent: 25 }] }, 'all of: group = beta; 25% of users', '同时满足：group = beta；25% 的用户'],
  ['group of one is its member', { any: [{ percent: 5 }] }, '5% of users', '5% 的用户'],
  ['nested group in parentheses', { all: [{ any: [{ users: ['a'] }, { ip: ['10.0.0.0/8'] }] }, { percent: 50 }] },
    'all of: (any of: a; IP in 10.0.0.0/8); 50% of users', '同时满足：(满足任一：a；IP 属于 10.0.0.0/8)；50% 的用户'],
  ['not', { not: { attr: 'claim.plan', op: 'eq', value: 'free' } }, 'not (claim.plan = free)', '不满足（claim.plan = free）'],
  ['not of a group', { not: { any: [{ users: ['a'] }, { percent: 1 }] } }, 'not (any of: a; 1% of users)', '不满足（满足任一：a；1% 的用户）'],
];

describe('ruleWords', () => {
  test.each(CASES)('%s', (_name, rule, en, zh) => {
    expect(ruleWords(rule, 'en')).toBe(en);
    expect(ruleWords(rule, 'zh')).toBe(zh);
  });
});
