import { describe, expect, test } from 'vitest';
import { compileRule, compileSnapshot, resolveProduct } from '../../core/index.js';
import type { ManifestEntry, RequestContext, ResourceRow, Rule, Snapshot, SnapshotInput, StrategyRow } from '../../core/index.js';
import { hashUserId } from '../../core/resolve/userIndex.js';
import { rng } from '../rng.js';


/** Resolution as docs/rules.md states it, with none of compileSnapshot's precomputation: the oracle. */
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

describe('resolveProduct against a literal reading of the resolution rules', () => {
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

/**
 * Snapshots shaped to stress the user index: several products, many list strategies whose lists
 * overlap, with windows, ties and priorities mixed with evaluated rules above and below them, lists
 * spelled as `any`/`all` (indexed) next to lists combined with other rules (evaluated).
 */
function listHeavyInput(r: () => number, users: readonly string[]): SnapshotInput {
  const pick = () => users.filter(() => r() < 0.25);
  const rules: (() => Rule | null)[] = [
    () => ({ users: pick() }),
    () => ({ users: pick() }),
    () => ({ users: pick() }),
    () => ({ users: pick().concat(pick()) }),
    () => ({ users: [] }),
    () => ({ any: [{ users: pick() }, { users: pick() }] }),
    () => ({ any: [{ users: pick() }, { any: [{ users: pick() }] }] }),
    () => ({ all: [{ users: pick() }] }),
    () => ({ all: [{ users: pick() }, { attr: 'group', op: 'eq', value: 'beta' }] }),
    () => ({ any: [{ users: pick() }, { percent: 20 }] }),
    () => ({ not: { users: pick() } }),
    () => ({ percent: Math.floor(r() * 60) }),
    () => ({ attr: 'group', op: 'eq', value: 'beta' }),
    () => null,
    () => ({ users: ['ok', 7] }) as unknown as Rule,
  ];
  const names = ['a', 'b', 'c'];
  const resources: ResourceRow[] = Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    product: names[i % 3] as string,
    version: `${i}.0.0`,
    status: r() < 0.9 ? 'deployed' : 'built',
    baseUrl: `/r/${i + 1}/`,
    files: [],
    integrity: {},
    config: {},
    dependencies: [],
  }));
  const strategies: StrategyRow[] = Array.from({ length: 10 + Math.floor(r() * 50) }, (_, i) => {
    const x = r();
    const resourceId = 1 + Math.floor(r() * 12);
    return {
      id: i + 1,
      // Mostly the resource's own product; sometimes another one's (stale rows, ignored).
      product: r() < 0.95 ? (names[(resourceId - 1) % 3] as string) : (names[Math.floor(r() * 3)] as string),
      resourceId,
      status: x < 0.08 ? 'full' : x < 0.13 ? 'off' : 'gray',
      priority: Math.floor(r() * 4),
      rule: (rules[Math.floor(r() * rules.length)] as () => Rule | null)(),
      salt: r() < 0.5 ? null : 'salt',
      startsAt: r() < 0.3 ? Math.floor(r() * 10) : null,
      endsAt: r() < 0.3 ? Math.floor(r() * 10) : null,
      updatedAt: Math.floor(r() * 3),
    };
  });
  return { revision: 1, ttlSeconds: 60, serviceWorkerEnabled: true, products: names.map((name, i) => ({ id: i + 1, name })), resources, strategies };
}

describe('the user index of plain lists agrees with the reference', () => {
  const users = Array.from({ length: 24 }, (_, i) => `user-${i}`);
  test.each(Array.from({ length: 20 }, (_, i) => i + 1))('list-heavy snapshot, seed %i', (seed) => {
    const r = rng(1000 + seed);
    for (let round = 0; round < 8; round++) {
      const inputs = [listHeavyInput(r, users), listHeavyInput(r, users)];
      const snapshots = inputs.map(compileSnapshot);
      // Request ids are fresh strings, as a server parses them, never the list's own objects.
      for (const u of [...users.map((s) => [...s].join('')), 'nobody', '', null]) {
        for (const group of ['beta', 'gamma']) {
          for (const now of [0, 4, 9]) {
            const ctx: RequestContext = { userId: u, ip: null, attributes: { group } };
            // Products and snapshots interleaved, so a memo of the last user must not leak across them.
            for (const product of ['a', 'b', 'c', 'a', 'missing']) {
              for (let s = 0; s < 2; s++) {
                const got = resolveProduct(snapshots[s] as Snapshot, product, ctx, now);
                const want = reference(inputs[s] as SnapshotInput, product, ctx, now);
                expect(got === null ? null : { strategyId: got.strategyId, fallback: got.fallback?.resourceId }, JSON.stringify({ seed, round, s, u, group, now, product })).toEqual(want);
              }
            }
          }
        }
      }
    }
  });

  test('a user id whose hash collides with a listed one is not in the list', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null && i < 1_000_000; i++) {
      const id = `id-${i}`;
      const h = hashUserId(id);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, id];
      else seen.set(h, id);
    }
    expect(pair).not.toBeNull();
    const [listed, twin] = pair as [string, string];
    const input: SnapshotInput = {
      revision: 1,
      ttlSeconds: 60,
      serviceWorkerEnabled: true,
      products: [{ id: 1, name: 'p' }],
      resources: [{ id: 1, product: 'p', version: '1.0.0', status: 'deployed', baseUrl: '/r/1/', files: [], integrity: {}, config: {}, dependencies: [] }],
      strategies: [{ id: 1, product: 'p', resourceId: 1, status: 'gray', priority: 0, rule: { users: [listed] }, salt: null, startsAt: null, endsAt: null, updatedAt: 0 }],
    };
    const snapshot = compileSnapshot(input);
    const at = (userId: string) => resolveProduct(snapshot, 'p', { userId, ip: null, attributes: {} }, 0)?.strategyId ?? null;
    expect(at(twin)).toBe(null);
    expect(at(listed)).toBe(1);
    expect(at(twin)).toBe(null);
  });

  test('lists of thousands of ids across products: every listed user gets its best list, others none', () => {
    const products = ['a', 'b', 'c', 'd'];
    const ids = Array.from({ length: 20_000 }, (_, i) => `member-${i}`);
    const strategies: StrategyRow[] = [];
    const resources: ResourceRow[] = [];
    let id = 0;
    for (const p of products) {
      for (let k = 0; k < 10; k++) {
        id++;
        resources.push({ id, product: p, version: `${k}.0.0`, status: 'deployed', baseUrl: `/r/${id}/`, files: [], integrity: {}, config: {}, dependencies: [] });
        // Overlapping slices: list k of a product names ids [k*1000, k*1000 + 4000).
        const users = ids.slice(k * 1000 + products.indexOf(p) * 500, k * 1000 + products.indexOf(p) * 500 + 4000);
        strategies.push({ id, product: p, resourceId: id, status: 'gray', priority: k % 3, rule: { users }, salt: null, startsAt: k === 9 ? 5 : null, endsAt: null, updatedAt: k });
      }
    }
    const input: SnapshotInput = { revision: 1, ttlSeconds: 60, serviceWorkerEnabled: true, products: products.map((name, i) => ({ id: i + 1, name })), resources, strategies };
    const snapshot = compileSnapshot(input);
    let compared = 0;
    for (let i = 0; i < ids.length; i += 181) {
      for (const now of [0, 5]) {
        const ctx: RequestContext = { userId: [...(ids[i] as string)].join(''), ip: null, attributes: {} };
        for (const p of products) {
          expect(resolveProduct(snapshot, p, ctx, now)?.strategyId ?? null).toBe(reference(input, p, ctx, now)?.strategyId ?? null);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(800);
  });
});
