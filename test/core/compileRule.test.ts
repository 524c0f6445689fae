import { describe, expect, test } from 'vitest';
import { compileRule, FinchError, RULE_LIMITS } from '../../core/index.js';
import type { RequestContext } from '../../core/index.js';

const ctx: RequestContext = {
  userId: 'alice',
  ip: '10.1.2.3',
  attributes: {
    group: 'beta',
    country: 'DE',
    age: 30,
    score: '42',
    ratio: '0.5',
    paid: true,
    flag: 'true',
    date: '2024-05-01',
    app: '2.3.4',
    vapp: 'v1.0.0',
    pre: '2.0.0-beta.1',
    bad: 'not-a-version',
    empty: '',
    'header.x-tier': 'gold',
    'cookie.ab': 'B',
    'claim.role': 'admin',
  },
};
const run = (rule: unknown, c: RequestContext = ctx): boolean => compileRule(rule, { salt: 's' })(c);
const a = (attr: string, op: string, value: unknown): unknown => ({ attr, op, value });
const as = (attr: string, op: string, values: unknown[]): unknown => ({ attr, op, values });

describe('attr operators', () => {
  test.each([
    // eq / neq, same type and mixed types
    [a('group', 'eq', 'beta'), true],
    [a('group', 'eq', 'Beta'), false],
    [a('age', 'eq', 30), true],
    [a('age', 'eq', '30'), true],
    [a('score', 'eq', 42), true],
    [a('score', 'eq', '42'), true],
    [a('score', 'eq', 42.5), false],
    [a('ratio', 'eq', 0.5), true],
    [a('paid', 'eq', true), true],
    [a('paid', 'eq', 'true'), true],
    [a('flag', 'eq', true), true],
    [a('flag', 'eq', false), false],
    [a('paid', 'eq', 1), false],
    [a('empty', 'eq', ''), true],
    [a('empty', 'eq', 0), false],
    [a('missing', 'eq', 'x'), false],
    [a('group', 'neq', 'beta'), false],
    [a('group', 'neq', 'alpha'), true],
    [a('age', 'neq', '30'), false],
    [a('missing', 'neq', 'x'), true],
    // in / notIn
    [as('group', 'in', ['alpha', 'beta']), true],
    [as('group', 'in', ['alpha', 'gamma']), false],
    [as('age', 'in', [10, 30]), true],
    [as('score', 'in', [41, 42]), true],
    [a('group', 'in', 'beta'), true],
    [as('missing', 'in', ['x']), false],
    [as('group', 'notIn', ['alpha', 'beta']), false],
    [as('group', 'notIn', ['alpha']), true],
    [as('missing', 'notIn', ['x']), true],
    // eq with several values means any of them; neq with several means none of them
    [as('country', 'eq', ['FR', 'DE']), true],
    [as('country', 'neq', ['FR', 'DE']), false],
    [as('country', 'neq', ['FR', 'IT']), true],
    // string operators, case-sensitive
    [a('group', 'contains', 'et'), true],
    [a('group', 'contains', 'ET'), false],
    [a('group', 'startsWith', 'be'), true],
    [a('group', 'startsWith', 'ta'), false],
    [a('group', 'endsWith', 'ta'), true],
    [a('group', 'endsWith', 'be'), false],
    [a('age', 'startsWith', '3'), true],
    [as('group', 'contains', ['zz', 'bet']), true],
    [a('missing', 'contains', ''), false],
    [a('empty', 'contains', ''), true],
    // ordering: numeric when both read as numbers, else string order for two strings
    [a('age', 'gt', 29), true],
    [a('age', 'gt', 30), false],
    [a('age', 'gte', 30), true],
    [a('age', 'lt', 31), true],
    [a('age', 'lt', 30), false],
    [a('age', 'lte', 30), true],
    [a('score', 'gt', 9), true],
    [a('score', 'gt', '9'), true],
    [a('score', 'lt', '100'), true],
    [a('ratio', 'lt', 1), true],
    [a('date', 'gte', '2024-01-01'), true],
    [a('date', 'lt', '2024-01-01'), false],
    [a('group', 'gt', 'alpha'), true],
    [a('group', 'gt', 5), false],
    [a('group', 'lt', 5), false],
    [a('paid', 'gt', 0), false],
    [a('empty', 'gt', -1), false],
    [a('missing', 'lt', 100), false],
    [as('age', 'gt', [100, 20]), true],
    // semver
    [a('app', 'semverGt', '2.3.3'), true],
    [a('app', 'semverGt', '2.3.4'), false],
    [a('app', 'semverGte', '2.3.4'), true],
    [a('app', 'semverGte', '2.4.0'), false],
    [a('app', 'semverLt', '10.0.0'), true],
    [a('app', 'semverLt', '2.3.4'), false],
    [a('app', 'semverLte', '2.3.4'), true],
    [a('app', 'semverLte', '2.3.3'), false],
    [a('vapp', 'semverGte', '1.0.0'), true],
    [a('pre', 'semverLt', '2.0.0'), true],
    [a('pre', 'semverGt', '1.99.99'), true],
    [a('pre', 'semverGt', '2.0.0-alpha'), true],
    [a('bad', 'semverGt', '0.0.0'), false],
    [a('bad', 'semverLt', '99.0.0'), false],
    [a('age', 'semverGt', '0.0.1'), false],
    [a('missing', 'semverLt', '1.0.0'), false],
    [as('app', 'semverGte', ['3.0.0', '2.0.0']), true],
    // exists
    [{ attr: 'group', op: 'exists' }, true],
    [{ attr: 'empty', op: 'exists' }, true],
    [{ attr: 'missing', op: 'exists' }, false],
    // the attribute names a rule may read: userId, ip, header.*, cookie.*, claim.*
    [a('userId', 'eq', 'alice'), true],
    [a('userId', 'startsWith', 'al'), true],
    [a('ip', 'startsWith', '10.'), true],
    [{ attr: 'userId', op: 'exists' }, true],
    [a('header.x-tier', 'eq', 'gold'), true],
    [a('cookie.ab', 'in', 'B'), true],
    [a('claim.role', 'eq', 'admin'), true],
    // prototype members are not attributes
    [{ attr: 'constructor', op: 'exists' }, false],
    [{ attr: 'toString', op: 'exists' }, false],
    [a('__proto__', 'eq', '[object Object]'), false],
  ])('%j → %s', (rule, want) => {
    expect(run(rule)).toBe(want);
  });

  test('userId and ip attributes are absent when the request has none', () => {
    const anon: RequestContext = { userId: null, ip: null, attributes: { userId: 'spoof', ip: '10.0.0.1' } };
    expect(run({ attr: 'userId', op: 'exists' }, anon)).toBe(false);
    expect(run({ attr: 'ip', op: 'exists' }, anon)).toBe(false);
    expect(run(a('userId', 'eq', 'spoof'), anon)).toBe(false);
  });

  test('the version memo does not leak between different attribute values', () => {
    const rule = compileRule(a('app', 'semverGte', '2.0.0'), { salt: 's' });
    const v = (app: string): RequestContext => ({ userId: null, ip: null, attributes: { app } });
    expect([rule(v('1.0.0')), rule(v('2.0.0')), rule(v('1.0.0')), rule(v('x')), rule(v('3.0.0'))]).toEqual([false, true, false, false, true]);
  });
});

describe('combinators and users', () => {
  const T = { users: ['alice'] };
  const F = { users: ['bob'] };
  test.each([
    [{ all: [T] }, true],
    [{ all: [T, T] }, true],
    [{ all: [T, F] }, false],
    [{ all: [F, T] }, false],
    [{ any: [F] }, false],
    [{ any: [F, T] }, true],
    [{ any: [F, F] }, false],
    [{ not: T }, false],
    [{ not: F }, true],
    [{ not: { not: T } }, true],
    [{ all: [{ any: [F, T] }, { not: F }] }, true],
    [{ any: [{ all: [T, F] }, { not: T }] }, false],
    [{ users: [] }, false],
    [{ users: ['bob', 'alice', 'alice'] }, true],
  ])('%j → %s', (rule, want) => {
    expect(run(rule)).toBe(want);
  });

  test('users never matches an anonymous request', () => {
    expect(run({ users: ['alice'] }, { userId: null, ip: null, attributes: { userId: 'alice' } })).toBe(false);
  });

  test('all stops at the first false, any at the first true', () => {
    let calls = 0;
    const counting = new Proxy({}, { get: (_, k) => (k === 'group' ? (calls++, 'beta') : undefined), has: () => true });
    const c: RequestContext = { userId: 'alice', ip: null, attributes: counting as Record<string, string> };
    // hasOwnProperty on a proxy asks getOwnPropertyDescriptor; make group look own.
    Object.defineProperty(counting, 'group', { value: 'beta', enumerable: true, configurable: true });
    calls = 0;
    expect(run({ all: [{ users: ['bob'] }, a('group', 'eq', 'beta')] }, c)).toBe(false);
    expect(run({ any: [{ users: ['alice'] }, a('group', 'eq', 'beta')] }, c)).toBe(true);
    expect(calls).toBe(0);
  });
});

const invalid = (rule: unknown, path: string): void => {
  let err: unknown;
  try {
    compileRule(rule, { salt: 's' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FinchError);
  expect(err).toMatchObject({ code: 'invalid-rule', details: { path } });
  expect((err as Error).message).toContain(path);
};

describe('invalid rules', () => {
  test.each([
    [null, '$'],
    ['users', '$'],
    [[], '$'],
    [42, '$'],
    [{}, '$'],
    [{ everyone: true }, '$.everyone'],
    [{ users: ['a'], percent: 5 }, '$'],
    [{ users: ['a'], extra: 1 }, '$.extra'],
    [{ all: [] }, '$.all'],
    [{ any: {} }, '$.any'],
    [{ all: [{ users: ['a'] }, { users: ['b'] }, { attr: 'x', op: 'like', value: 1 }] }, '$.all[2].op'],
    [{ all: [{ users: ['a'] }, { any: [{ nope: 1 }] }] }, '$.all[1].any[0].nope'],
    [{ not: [] }, '$.not'],
    [{ not: null }, '$.not'],
    [{ users: 'alice' }, '$.users'],
    [{ users: ['a', 3] }, '$.users[1]'],
    [{ users: [''] }, '$.users[0]'],
    [{ ip: '10.0.0.0/8' }, '$.ip'],
    [{ attr: '', op: 'eq', value: 1 }, '$.attr'],
    [{ attr: 5, op: 'eq', value: 1 }, '$.attr'],
    [{ attr: 'x', op: 'EQ', value: 1 }, '$.op'],
    [{ attr: 'x', value: 1 }, '$.op'],
    [{ attr: 'x', op: 'eq' }, '$'],
    [{ attr: 'x', op: 'eq', value: 1, values: [1] }, '$'],
    [{ attr: 'x', op: 'eq', value: 1, note: 'hi' }, '$.note'],
    [{ attr: 'x', op: 'eq', value: null }, '$.value'],
    [{ attr: 'x', op: 'eq', value: { a: 1 } }, '$.value'],
    [{ attr: 'x', op: 'eq', value: Number.NaN }, '$.value'],
    [{ attr: 'x', op: 'in', values: [] }, '$.values'],
    [{ attr: 'x', op: 'in', values: 'a' }, '$.values'],
    [{ attr: 'x', op: 'in', values: ['a', ['b']] }, '$.values[1]'],
    [{ attr: 'x', op: 'contains', value: 5 }, '$.value'],
    [{ attr: 'x', op: 'startsWith', values: ['a', true] }, '$.values[1]'],
    [{ attr: 'x', op: 'gt', value: true }, '$.value'],
    [{ attr: 'x', op: 'semverGt', value: 'latest' }, '$.value'],
    [{ attr: 'x', op: 'semverLt', value: 1 }, '$.value'],
    [{ attr: 'x', op: 'semverGte', values: ['1.0.0', '1.x'] }, '$.values[1]'],
    [{ attr: 'x', op: 'exists', value: 1 }, '$'],
    [{ attr: 'x', op: 'exists', values: [1] }, '$'],
  ])('%j → invalid-rule at %s', (rule, path) => {
    invalid(rule, path);
  });
});

describe('limits', () => {
  const nest = (depth: number): unknown => {
    let r: unknown = { users: ['alice'] };
    for (let i = 1; i < depth; i++) r = { not: r };
    return r;
  };
  const tooLarge = (rule: unknown): void => {
    expect(() => compileRule(rule, { salt: 's' })).toThrow(expect.objectContaining({ code: 'rule-too-large' }));
  };

  test('depth 8 compiles, depth 9 is rule-too-large', () => {
    expect(RULE_LIMITS.depth).toBe(8);
    expect(run(nest(8))).toBe(false);
    expect(run(nest(7))).toBe(true);
    tooLarge(nest(9));
  });

  test('a very deep rule is refused without overflowing the stack', () => {
    tooLarge(nest(100_000));
  });

  test('1,000 nodes compile, 1,001 are rule-too-large', () => {
    const leaves = (n: number) => ({ any: Array.from({ length: n }, (_, i) => ({ users: [`u${i}`] })) });
    expect(run(leaves(999))).toBe(false);
    tooLarge(leaves(1000));
  });

  test('100,000 user ids compile (in one or several lists), one more is rule-too-large', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `u${i}`);
    expect(run({ users: ids }, { userId: 'u99999', ip: null, attributes: {} })).toBe(true);
    tooLarge({ users: [...ids, 'one-more'] });
    tooLarge({ any: [{ users: ids.slice(0, 50_000) }, { users: ids.slice(49_999) }] });
  });

  test('10,000 CIDRs compile, 10,001 are rule-too-large', () => {
    const cidrs = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(run({ ip: cidrs }, { userId: null, ip: '10.39.15.7', attributes: {} })).toBe(true);
    expect(run({ ip: cidrs }, { userId: null, ip: '10.39.16.7', attributes: {} })).toBe(false);
    tooLarge({ ip: [...cidrs, '::1'] });
    tooLarge({ any: [{ ip: cidrs.slice(0, 6000) }, { ip: cidrs.slice(5999) }] });
  });

  test('values lists share the list budget', () => {
    tooLarge({ attr: 'x', op: 'in', values: Array.from({ length: 100_001 }, (_, i) => i) });
  });

  test('rule-too-large names the place and the limit', () => {
    try {
      compileRule({ all: [{ users: ['a'] }, nest(8)] }, { salt: 's' });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'rule-too-large', details: { path: '$.all[1].not.not.not.not.not.not.not', limit: 8 } });
    }
  });
});

describe('compileRule reads', () => {
  test('collects every attribute name the rule reads, at any depth', () => {
    const reads = new Set<string>();
    compileRule(
      { all: [{ attr: 'group', op: 'eq', value: 'beta' }, { not: { any: [{ attr: 'header.x-a', op: 'exists' }, { users: ['u'] }] } }, { percent: 5 }, { attr: 'cookie.c', op: 'in', values: ['1'] }] },
      { salt: '1', reads },
    );
    expect([...reads].sort()).toEqual(['cookie.c', 'group', 'header.x-a']);
  });
});
