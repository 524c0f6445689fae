import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FinchError, rank } from '../../../core/index.js';
import type { RankInput } from '../../../core/index.js';

describe('rank', () => {
  test('higher rollout priority first, then the earlier created, then the lower id', () => {
    const input: RankInput[] = [
      { id: 4, priority: 0, createdAt: 300 },
      { id: 1, priority: 0, createdAt: 100 },
      { id: 9, priority: 5, createdAt: 900 },
      { id: 3, priority: 0, createdAt: 100 },
      { id: 2, priority: -3, createdAt: 50 },
    ];
    expect(rank(input)).toEqual([
      { id: 9, strategyPriority: 4_999 },
      { id: 1, strategyPriority: -1 },
      { id: 3, strategyPriority: -2 },
      { id: 4, strategyPriority: -3 },
      { id: 2, strategyPriority: -3_001 },
    ]);
  });

  test('none is empty; the input is left as it was', () => {
    expect(rank([])).toEqual([]);
    const input = [{ id: 2, priority: 0, createdAt: 2 }, { id: 1, priority: 0, createdAt: 1 }];
    rank(input);
    expect(input.map((r) => r.id)).toEqual([2, 1]);
  });

  test.each([1000, -1000, 0.5, NaN])('refuses rollout priority %s', (priority) => {
    expect(() => rank([{ id: 1, priority, createdAt: 0 }])).toThrow(FinchError);
  });

  test('refuses more live rollouts than a product may have', () => {
    expect(() => rank(Array.from({ length: 101 }, (_, id) => ({ id, priority: 0, createdAt: id })))).toThrow(/at most 100 live rollouts/);
  });

  test('strategy priorities are distinct, ordered as the ranking, within ±1,000,000, and below a hand-made strategy at priority × 1000', () => {
    const rollout = fc.record({ id: fc.nat({ max: 1e6 }), priority: fc.integer({ min: -999, max: 999 }), createdAt: fc.nat() });
    fc.assert(
      fc.property(fc.uniqueArray(rollout, { maxLength: 100, selector: (r) => r.id }), (rs) => {
        const ranked = rank(rs);
        expect(ranked.map((r) => r.id).sort()).toEqual(rs.map((r) => r.id).sort());
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.strategyPriority).toBeLessThan(ranked[i - 1]!.strategyPriority);
        for (const r of ranked) {
          const p = rs.find((x) => x.id === r.id)!.priority;
          expect(Math.abs(r.strategyPriority)).toBeLessThanOrEqual(1_000_000);
          expect(r.strategyPriority).toBeLessThan(p * 1000);
          expect(r.strategyPriority).toBeGreaterThan((p - 1) * 1000);
        }
      }),
    );
  });
});
