import { describe, expect, test } from 'vitest';
import { bucketOf, compileRule } from '../../core/index.js';
import type { RequestContext } from '../../core/index.js';

const ids = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
const ctx = (userId: string | null, attributes: RequestContext['attributes'] = {}): RequestContext => ({ userId, ip: null, attributes });
const inSet = (percent: number, salt = '7'): Set<string> => {
  const rule = compileRule({ percent }, { salt });
  return new Set(ids.filter((id) => rule(ctx(id))));
};

describe('percent rule', () => {
  test('100,000 ids at 10% land within 10% ± 0.5%', () => {
    const n = inSet(10).size;
    expect(n).toBeGreaterThanOrEqual(9_500);
    expect(n).toBeLessThanOrEqual(10_500);
  });

  test.each([1, 25, 50, 99.5])('%d%% lands within ± 0.5 points', (p) => {
    const n = inSet(p, 'other-salt').size;
    expect(Math.abs(n / 1000 - p)).toBeLessThanOrEqual(0.5);
  });

  test('raising 10% → 20% keeps every id that was in', () => {
    const ten = inSet(10);
    const twenty = inSet(20);
    for (const id of ten) expect(twenty.has(id)).toBe(true);
    expect(twenty.size).toBeGreaterThan(ten.size);
  });

  test('lowering a percentage only drops users (the same buckets, fewer of them)', () => {
    const small = inSet(0.5);
    const big = inSet(33.33);
    expect([...small].every((id) => big.has(id))).toBe(true);
  });

  test('0% takes nobody, 100% everybody', () => {
    expect(inSet(0).size).toBe(0);
    expect(inSet(100).size).toBe(ids.length);
  });

  test('in exactly when bucket < percent × 100', () => {
    const rule = compileRule({ percent: 12.34 }, { salt: 's' });
    for (const id of ids.slice(0, 5000)) expect(rule(ctx(id))).toBe(bucketOf('s', id) < 1234);
  });

  test('another salt picks another set of users', () => {
    const a = inSet(10, '1');
    const b = inSet(10, '2');
    const both = [...a].filter((id) => b.has(id)).length;
    // Independent 10% samples share about 1%; the same salt would share all 10%.
    expect(both).toBeLessThan(2_000);
    expect(both).toBeGreaterThan(0);
  });

  test('keys on deviceId when there is no user id, and never buckets without a key', () => {
    const rule = compileRule({ percent: 50 }, { salt: 'd' });
    const devices = ids.slice(0, 2000);
    for (const d of devices) expect(rule(ctx(null, { deviceId: d }))).toBe(bucketOf('d', d) < 5000);
    expect(rule(ctx(null))).toBe(false);
    expect(rule(ctx(null, { deviceId: '' }))).toBe(false);
    expect(rule(ctx('', {}))).toBe(false);
    expect(compileRule({ percent: 100 }, { salt: 'd' })(ctx(null))).toBe(false);
  });

  test('the user id wins over deviceId', () => {
    const rule = compileRule({ percent: 50 }, { salt: 'k' });
    const inside = ids.find((id) => bucketOf('k', id) < 5000) as string;
    const outside = ids.find((id) => bucketOf('k', id) >= 5000) as string;
    expect(rule(ctx(inside, { deviceId: outside }))).toBe(true);
    expect(rule(ctx(outside, { deviceId: inside }))).toBe(false);
  });

  test.each([-1, 100.01, 10.001, Number.NaN, '10', null, Infinity])('percent %j is invalid-rule at $.percent', (p) => {
    expect(() => compileRule({ percent: p }, { salt: 's' })).toThrow(expect.objectContaining({ code: 'invalid-rule', details: { path: '$.percent' } }));
  });

  test.each([0.07, 0.29, 33.33, 57.01, 99.99])('percent %d in 0.01 steps is accepted despite float noise', (p) => {
    expect(() => compileRule({ percent: p }, { salt: 's' })).not.toThrow();
  });
});
