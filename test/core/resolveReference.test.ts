import { describe, expect, test } from 'vitest';
import { compileRule, compileSnapshot, resolveProduct } from '../../core/index.js';
import type { ManifestEntry, RequestContext, ResourceRow, Rule, SnapshotInput, StrategyRow } from '../../core/index.js';

/** A deterministic PRNG (mulberry32), so a failure reproduces with its seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** §4 read literally, with none of compileSnapshot's precomputation: the oracle. */
function reference(input: SnapshotInput, product: string, ctx: RequestContext, now: number): { strategyId: number; fallback: number | undefined } | null {
  if (!input.products.some((p) => p.name === product)) return null;
  const deployed = (s: StrategyRow) => input.resources.some((r) => r.id === s.resourceId && r.status === 'deployed' && r.product === product);
  const live = input.strategies.filter((s) => s.product === product && deployed(s) && (s.startsAt === null || now >= s.startsAt) && (s.endsAt === null || now < s.endsAt));
  const order = (a: StrategyRow, b: StrategyRow) => b.priority - a.priority || b.updatedAt - a.updatedAt || b.id - a.id;
  const matches = (s: StrategyRow) => {
    try {
      return s.rule !== null && compileRule(s.rule, { salt: s.salt ?? String(s.id) })(ctx);
    } catch {
      return false;
    }
  };
  const full = live.filter((s) => s.status === 'full').sort(order)[0];
  const gray = live.filter((s) => s.status === 'gray').sort(order).find(matches);
  if (gray) return { strategyId: gray.id, fallback: full && full.resourceId !== gray.resourceId ? full.resourceId : undefined };
  return full ? { strategyId: full.id, fallback: undefined } : null;
}

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];

function randomInput(r: () => number): SnapshotInput {
  const pickUsers = () => USERS.filter(() => r() < 0.3).concat(r() < 0.2 ? ['u1', 'u1'] : []);
  const rules: (() => Rule | null)[] = [
    () => ({ users: pickUsers() }),
    () => ({ users: pickUsers() }),
    () => ({ users: pickUsers() }),
    () => ({ any: [{ users: pickUsers() }, { attr: 'group', op: 'eq', value: 'beta' }] }),
    () => ({ percent: Math.floor(r() * 100) }),
    () => ({ attr: 'group', op: 'in', values: ['beta', 'alpha'] }),
    () => ({ not: { users: pickUsers() } }),
    () => null,
    () => ({ users: 'broken' }) as unknown as Rule,
  ];
  const resources: ResourceRow[] = Array.from({ length: 6 }, (_, i) => ({
    id: i + 1,
    product: i === 5 ? 'other' : 'p',
    version: `${i}.0.0`,
    status: r() < 0.85 ? 'deployed' : 'built',
    baseUrl: `/r/${i + 1}/`,
    files: [],
    integrity: {},
    config: {},
    dependencies: [],
  }));
  const strategies: StrategyRow[] = Array.from({ length: 4 + Math.floor(r() * 12) }, (_, i) => {
    const x = r();
    return {
      id: i + 1,
      product: 'p',
      resourceId: 1 + Math.floor(r() * 6),
      status: x < 0.15 ? 'full' : x < 0.25 ? 'off' : 'gray',
      priority: Math.floor(r() * 3),
      rule: (rules[Math.floor(r() * rules.length)] as () => Rule | null)(),
      salt: r() < 0.5 ? null : 'salt',
      startsAt: r() < 0.3 ? Math.floor(r() * 10) : null,
      endsAt: r() < 0.3 ? Math.floor(r() * 10) : null,
      updatedAt: Math.floor(r() * 3),
    };
  });
  return { revision: 1, ttlSeconds: 60, serviceWorkerEnabled: true, products: [{ id: 1, name: 'p' }], resources, strategies };
}

describe('resolveProduct against a literal reading of §4', () => {
  test.each(Array.from({ length: 40 }, (_, i) => i + 1))('random snapshot, seed %i', (seed) => {
    const r = rng(seed);
    for (let round = 0; round < 10; round++) {
      const input = randomInput(r);
      const snapshot = compileSnapshot(input);
      for (const userId of [...USERS, null]) {
        for (const group of ['beta', 'gamma']) {
          for (const now of [0, 3, 5, 9, 11]) {
            const ctx: RequestContext = { userId, ip: null, attributes: { group, deviceId: 'd1' } };
            const got: ManifestEntry | null = resolveProduct(snapshot, 'p', ctx, now);
            const want = reference(input, 'p', ctx, now);
            expect(got === null ? null : { strategyId: got.strategyId, fallback: got.fallback?.resourceId }, JSON.stringify({ seed, round, userId, group, now })).toEqual(want);
          }
        }
      }
    }
  });
});
