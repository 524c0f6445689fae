import { describe, expect, test } from 'vitest';
import { compileSnapshot, resolveManifest, resolveProduct } from '../../core/index.js';
import type { RequestContext, ResourceRow, SnapshotInput, StrategyRow } from '../../core/index.js';

const T0 = Date.UTC(2026, 0, 1);

function res(id: number, product = 'dash', status: ResourceRow['status'] = 'deployed'): ResourceRow {
  return {
    id,
    product,
    version: `${id}.0.0`,
    status,
    baseUrl: `/releases/${product}/${id}/`,
    files: ['main.js'],
    integrity: { 'main.js': `sha384-${id}` },
    config: { id },
    dependencies: [],
  };
}

function strat(id: number, resourceId: number, status: StrategyRow['status'], extra: Partial<StrategyRow> = {}): StrategyRow {
  return { id, product: 'dash', resourceId, status, priority: 0, rule: null, salt: null, startsAt: null, endsAt: null, updatedAt: T0, ...extra };
}

function snap(strategies: StrategyRow[], resources: ResourceRow[] = [res(1), res(2), res(3), res(4), res(5)]): SnapshotInput {
  return { revision: 9, ttlSeconds: 60, serviceWorkerEnabled: true, products: [{ id: 1, name: 'dash' }, { id: 2, name: 'head' }], resources, strategies };
}

const alice: RequestContext = { userId: 'alice', ip: '10.0.0.1', attributes: { group: 'beta' } };
const bob: RequestContext = { userId: 'bob', ip: '192.168.0.1', attributes: {} };
const pick = (input: SnapshotInput, ctx: RequestContext = alice, now = T0): number | null => resolveProduct(compileSnapshot(input), 'dash', ctx, now)?.strategyId ?? null;
const users = (...ids: string[]) => ({ users: ids });

describe('resolution order', () => {
  test.each<[string, StrategyRow[], RequestContext, number | null]>([
    ['nothing: absent', [], alice, null],
    ['only full', [strat(1, 1, 'full')], alice, 1],
    ['gray match beats full', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], alice, 2],
    ['gray without match → full', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], bob, 1],
    ['gray without match and no full → absent', [strat(2, 2, 'gray', { rule: users('alice') })], bob, null],
    ['gray with a null rule matches nobody', [strat(1, 1, 'full'), strat(2, 2, 'gray')], alice, 1],
    ['higher priority wins', [strat(2, 2, 'gray', { rule: users('alice'), priority: 1 }), strat(3, 3, 'gray', { rule: users('alice'), priority: 5 })], alice, 3],
    ['higher priority wins whatever the order', [strat(3, 3, 'gray', { rule: users('alice'), priority: 5 }), strat(2, 2, 'gray', { rule: users('alice'), priority: 1 })], alice, 3],
    ['negative priorities order too', [strat(2, 2, 'gray', { rule: users('alice'), priority: -1 }), strat(3, 3, 'gray', { rule: users('alice'), priority: -5 })], alice, 2],
    ['priority only among matching', [strat(2, 2, 'gray', { rule: users('alice'), priority: 1 }), strat(3, 3, 'gray', { rule: users('bob'), priority: 5 })], alice, 2],
    ['tie → most recently updated', [strat(2, 2, 'gray', { rule: users('alice'), updatedAt: T0 + 5 }), strat(3, 3, 'gray', { rule: users('alice'), updatedAt: T0 + 1 })], alice, 2],
    ['tie → most recently updated (other order)', [strat(3, 3, 'gray', { rule: users('alice'), updatedAt: T0 + 1 }), strat(2, 2, 'gray', { rule: users('alice'), updatedAt: T0 + 5 })], alice, 2],
    ['full tie in time → higher id', [strat(2, 2, 'gray', { rule: users('alice') }), strat(3, 3, 'gray', { rule: users('alice') })], alice, 3],
    ['off strategies are ignored, even matching', [strat(1, 1, 'full'), strat(2, 2, 'off', { rule: users('alice'), priority: 99 })], alice, 1],
    ['an off "full" is not the full', [strat(1, 1, 'off')], alice, null],
    ['gray on a built resource is ignored', [strat(1, 1, 'full'), strat(2, 6, 'gray', { rule: users('alice') })], alice, 1],
    ['full on a failed resource → absent', [strat(1, 7, 'full')], alice, null],
    ['strategy on a missing resource is ignored', [strat(1, 1, 'full'), strat(2, 99, 'gray', { rule: users('alice') })], alice, 1],
    ['strategy on another product\u2019s resource is ignored', [strat(1, 1, 'full'), strat(2, 8, 'gray', { rule: users('alice') })], alice, 1],
    ['two fulls (bad data): the most recently updated', [strat(1, 1, 'full', { updatedAt: T0 + 9 }), strat(4, 4, 'full', { updatedAt: T0 })], alice, 1],
    ['rule on attributes', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: { attr: 'group', op: 'eq', value: 'beta' } })], alice, 2],
    ['rule on ip', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: { ip: ['192.168.0.0/16'] } })], bob, 2],
    ['a stored rule that does not compile matches nobody', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: { all: [] } as never, priority: 9 }), strat(3, 3, 'gray', { rule: users('alice') })], alice, 3],
    ['a rule that would match everyone but does not compile', [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: { percent: 100, x: 1 } as never })], alice, 1],
  ])('%s', (_, strategies, ctx, want) => {
    const resources = [res(1), res(2), res(3), res(4), res(5), res(6, 'dash', 'built'), res(7, 'dash', 'deploy_failed'), res(8, 'head')];
    expect(pick(snap(strategies, resources), ctx)).toBe(want);
  });

  test.each(['built', 'build_failed', 'deploy_failed'] as const)('a %s resource is never served', (status) => {
    const input = snap([strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], [res(1, 'dash', status), res(2, 'dash', status)]);
    expect(pick(input)).toBe(null);
  });

  test('percent rules bucket on the strategy salt, default its id', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const inBy = (s: StrategyRow) => {
      const snapshot = compileSnapshot(snap([strat(1, 1, 'full'), s]));
      return ids.filter((id) => resolveProduct(snapshot, 'dash', { userId: id, ip: null, attributes: {} }, T0)?.strategyId === s.id);
    };
    const byId = inBy(strat(77, 2, 'gray', { rule: { percent: 30 } }));
    const bySaltOfId = inBy(strat(78, 2, 'gray', { rule: { percent: 30 }, salt: '77' }));
    const byOther = inBy(strat(79, 2, 'gray', { rule: { percent: 30 }, salt: 'other' }));
    expect(bySaltOfId).toEqual(byId);
    expect(byOther).not.toEqual(byId);
    expect(byId.length).toBeGreaterThan(400);
  });

  test('compile errors are reported, not thrown', () => {
    const s = compileSnapshot(snap([strat(2, 2, 'gray', { rule: { users: 'alice' } as never })]));
    expect(s.ruleErrors).toEqual([{ strategyId: 2, error: expect.objectContaining({ code: 'invalid-rule' }) }]);
  });
});

describe('time windows', () => {
  const windowed = (startsAt: number | null, endsAt: number | null): StrategyRow[] => [
    strat(1, 1, 'full'),
    strat(2, 2, 'gray', { rule: users('alice'), startsAt, endsAt }),
  ];
  test.each<[string, number | null, number | null, number, number]>([
    ['no window', null, null, T0, 2],
    ['before start', T0 + 10, null, T0 + 9, 1],
    ['at start (inclusive)', T0 + 10, null, T0 + 10, 2],
    ['after start', T0 + 10, null, T0 + 11, 2],
    ['before end', null, T0 + 10, T0 + 9, 2],
    ['at end (exclusive)', null, T0 + 10, T0 + 10, 1],
    ['after end', null, T0 + 10, T0 + 11, 1],
    ['inside both', T0, T0 + 10, T0 + 5, 2],
    ['empty window', T0 + 5, T0 + 5, T0 + 5, 1],
  ])('%s', (_, startsAt, endsAt, now, want) => {
    expect(pick(snap(windowed(startsAt, endsAt)), alice, now)).toBe(want);
  });

  test('a full out of its window is not served; another full in its window is', () => {
    const input = snap([strat(1, 1, 'full', { endsAt: T0, updatedAt: T0 + 9 }), strat(4, 4, 'full', { startsAt: T0 })]);
    expect(pick(input, alice, T0 - 1)).toBe(1);
    expect(pick(input, alice, T0)).toBe(4);
    expect(pick(snap([strat(1, 1, 'full', { startsAt: T0 })]), alice, T0 - 1)).toBe(null);
  });

  test('a gray out of its window gives way to a lower gray in it', () => {
    const input = snap([strat(2, 2, 'gray', { rule: users('alice'), priority: 9, endsAt: T0 }), strat(3, 3, 'gray', { rule: users('alice'), priority: 1 })]);
    expect(pick(input, alice, T0 - 1)).toBe(2);
    expect(pick(input, alice, T0)).toBe(3);
  });
});

describe('entries and fallback', () => {
  test('a gray entry carries the full resource as fallback', () => {
    const s = compileSnapshot(snap([strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') })]));
    expect(resolveProduct(s, 'dash', alice, T0)).toEqual({
      resourceId: 2,
      version: '2.0.0',
      strategyId: 2,
      status: 'gray',
      baseUrl: '/releases/dash/2/',
      files: ['main.js'],
      integrity: { 'main.js': 'sha384-2' },
      config: { id: 2 },
      dependencies: [],
      fallback: { resourceId: 1, version: '1.0.0', baseUrl: '/releases/dash/1/', files: ['main.js'], integrity: { 'main.js': 'sha384-1' } },
    });
    const full = resolveProduct(s, 'dash', bob, T0);
    expect(full).toMatchObject({ resourceId: 1, strategyId: 1, status: 'full' });
    expect(full).not.toHaveProperty('fallback');
  });

  test.each<[string, StrategyRow[], number, number | undefined]>([
    ['no full: no fallback', [strat(2, 2, 'gray', { rule: users('alice') })], T0, undefined],
    ['gray on the full resource: no fallback', [strat(1, 1, 'full'), strat(2, 1, 'gray', { rule: users('alice') })], T0, undefined],
    ['full out of its window: no fallback', [strat(1, 1, 'full', { startsAt: T0 + 1 }), strat(2, 2, 'gray', { rule: users('alice') })], T0, undefined],
    ['full on a non-deployed resource: no fallback', [strat(1, 6, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], T0, undefined],
    ['the full in effect now is the fallback', [strat(1, 1, 'full', { endsAt: T0, updatedAt: T0 + 9 }), strat(4, 4, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], T0, 4],
    ['before it ends, the first full', [strat(1, 1, 'full', { endsAt: T0, updatedAt: T0 + 9 }), strat(4, 4, 'full'), strat(2, 2, 'gray', { rule: users('alice') })], T0 - 1, 1],
  ])('%s', (_, strategies, now, want) => {
    const s = compileSnapshot(snap(strategies, [res(1), res(2), res(4), res(6, 'dash', 'built')]));
    const e = resolveProduct(s, 'dash', alice, now);
    expect(e?.status).toBe('gray');
    expect(e?.fallback?.resourceId).toBe(want);
  });

  test('entries are built once and reused, frozen, and independent of the input rows', () => {
    const input = snap([strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') })]);
    const s = compileSnapshot(input);
    const a = resolveProduct(s, 'dash', alice, T0);
    expect(resolveProduct(s, 'dash', { ...alice }, T0 + 1)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a?.files)).toBe(true);
    expect(Object.isFrozen(a?.fallback)).toBe(true);
    (input.resources[1] as ResourceRow).files.push('changed.js');
    (input.resources[1] as ResourceRow).config.id = 'changed';
    expect(a?.files).toEqual(['main.js']);
    expect(a?.config).toEqual({ id: 2 });
  });
});

describe('resolveManifest', () => {
  const input: SnapshotInput = {
    revision: 12,
    ttlSeconds: 300,
    serviceWorkerEnabled: false,
    products: [{ id: 1, name: 'dash' }, { id: 2, name: 'head' }, { id: 3, name: 'empty' }],
    resources: [res(1), res(2), res(8, 'head')],
    strategies: [strat(1, 1, 'full'), strat(2, 2, 'gray', { rule: users('alice') }), { ...strat(3, 8, 'full'), product: 'head' }, { ...strat(4, 1, 'full'), product: 'ghost' }],
  };

  test('answers the asked products that resolve, with the snapshot header and the user', () => {
    const s = compileSnapshot(input);
    const m = resolveManifest(s, alice, ['dash', 'head', 'empty', 'ghost', 'nope', '__proto__', 'constructor'], T0);
    expect(m).toMatchObject({ schema: 1, userId: 'alice', revision: 12, ttlSeconds: 300, serviceWorker: { enabled: false } });
    expect(Object.keys(m.products)).toEqual(['dash', 'head']);
    expect(m.products.dash?.resourceId).toBe(2);
    expect(m.products.head?.resourceId).toBe(8);
    expect(Object.getPrototypeOf(m.products)).toBe(Object.prototype);
  });

  test('anonymous users get the full builds and userId null', () => {
    const m = resolveManifest(compileSnapshot(input), { userId: null, ip: null, attributes: {} }, ['dash'], T0);
    expect(m.userId).toBe(null);
    expect(m.products.dash?.resourceId).toBe(1);
  });

  test('a product not in the products list is absent even with strategies', () => {
    expect(resolveProduct(compileSnapshot(input), 'ghost', alice, T0)).toBe(null);
  });

  test('the answer serializes to the schema 1 manifest shape', () => {
    const m = resolveManifest(compileSnapshot(input), alice, ['dash'], T0);
    const json = JSON.parse(JSON.stringify(m));
    expect(Object.keys(json.products.dash)).toEqual(['resourceId', 'version', 'strategyId', 'status', 'baseUrl', 'files', 'integrity', 'config', 'dependencies', 'fallback']);
  });
});
