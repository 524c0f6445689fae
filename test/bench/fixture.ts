/**
 * The store the benchmarks run against, as the resolver's rows (core/snapshot.ts): N products with M
 * strategies each, one `full`, four gray strategies with percent / attribute / CIDR / combined rules, and
 * the rest gray with user lists that together hold `userIds` distinct ids. Deterministic: same options,
 * same rows, so every server and resolver in one run sees the same store.
 */
import type { ProductRow, ResourceRow, SnapshotInput, StrategyRow } from '../../core/snapshot.js';
import type { Rule } from '../../core/rules/Rule.js';

export interface FixtureOptions {
  products: number;
  strategiesPerProduct: number;
  userIds: number;
  /** The clock the time windows are built around (epoch ms). @default NOW */
  now?: number;
}

export interface Fixture {
  input: SnapshotInput;
  productNames: string[];
  /** Every id that sits in some list, in list order. */
  listedUserIds: string[];
}

/** The store of the getConsoleVersion benchmark: 20 products × 50 strategies, 100,000 user ids in lists. */
export const CONTROL_PLANE_STORE: FixtureOptions = { products: 20, strategiesPerProduct: 50, userIds: 100_000 };

/** Non-list gray strategies per product (percent, attribute, CIDR, combined). */
const OTHER_GRAY = 4;

export const NOW = Date.UTC(2026, 0, 15);

export function userIdAt(i: number): string {
  return `user-${String(i).padStart(7, '0')}`;
}

export function productName(i: number): string {
  return `product-${String(i).padStart(2, '0')}`;
}

// A sha384 SRI value has 64 base64 characters; real-looking length keeps body sizes honest.
function fakeIntegrity(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < 64; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += alphabet[x >>> 26];
  }
  return `sha384-${s}`;
}

function otherRule(k: number, p: number): Rule {
  switch (k) {
    case 0:
      return { percent: 5 };
    case 1:
      return { attr: 'group', op: 'eq', value: 'beta' };
    case 2:
      return { ip: ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'] };
    default:
      return {
        all: [
          { attr: 'platform', op: 'in', values: ['ios', 'android'] },
          { attr: 'appVersion', op: 'semverGte', value: `3.${p}.0` },
          { not: { attr: 'country', op: 'eq', value: 'XX' } },
        ],
      };
  }
}

/**
 * Every row built by one literal with the same keys in the same order, as rows from a database driver
 * are: objects of mixed shapes would make every array walk (the naive baseline's above all) megamorphic.
 */
function strategyRow(
  id: number,
  product: string,
  status: StrategyRow['status'],
  priority: number,
  rule: Rule | null,
  startsAt: number | null,
  endsAt: number | null,
  now: number,
): StrategyRow {
  return { id, product, resourceId: id, status, priority, rule, salt: null, startsAt, endsAt, updatedAt: now - id * 1000 };
}

export function buildFixture(opts: FixtureOptions): Fixture {
  const now = opts.now ?? NOW;
  const products: ProductRow[] = [];
  const resources: ResourceRow[] = [];
  const strategies: StrategyRow[] = [];
  const productNames: string[] = [];
  const listsPerProduct = Math.max(0, opts.strategiesPerProduct - 1 - OTHER_GRAY);
  const totalLists = listsPerProduct * opts.products;
  const listedUserIds: string[] = [];
  let nextUser = 0;
  let id = 0;
  let listIndex = 0;

  for (let p = 0; p < opts.products; p++) {
    const name = productName(p);
    productNames.push(name);
    products.push({ id: p + 1, name });
    for (let s = 0; s < opts.strategiesPerProduct; s++) {
      id++;
      resources.push({
        id,
        product: name,
        version: `1.${s}.0`,
        status: 'deployed',
        baseUrl: `/releases/${name}/${id}/`,
        files: ['main.js', 'main.css'],
        integrity: { 'main.js': fakeIntegrity(id * 2), 'main.css': fakeIntegrity(id * 2 + 1) },
        config: {},
        dependencies: [],
      });
      const row = (status: StrategyRow['status'], priority: number, rule: Rule | null, window: boolean): StrategyRow =>
        strategyRow(id, name, status, priority, rule, window ? now - 86_400_000 : null, window ? now + 86_400_000 : null, now);
      if (s === 0) {
        strategies.push(row('full', 0, null, false));
      } else if (s <= OTHER_GRAY) {
        // A time window that holds now on one of them, so the window check is on the measured path too.
        strategies.push(row('gray', s, otherRule(s - 1, p), s === 1));
      } else {
        // Lists split the ids evenly; the last list takes the remainder.
        listIndex++;
        const end = listIndex === totalLists ? opts.userIds : Math.floor((opts.userIds * listIndex) / totalLists);
        const users: string[] = [];
        for (; nextUser < end; nextUser++) users.push(userIdAt(nextUser));
        listedUserIds.push(...users);
        strategies.push(row('gray', 100 + s, { users }, false));
      }
    }
  }
  return {
    input: { revision: 1, ttlSeconds: 300, serviceWorkerEnabled: true, products, resources, strategies },
    productNames,
    listedUserIds,
  };
}

/**
 * Request user ids: half from the lists, half unknown visitors, shuffled deterministically, so a server
 * cannot win by caching one answer.
 */
export function requestUserIds(fixture: Fixture, count: number): string[] {
  const out: string[] = [];
  let x = 0x9e3779b9;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const listed = fixture.listedUserIds;
  for (let i = 0; i < count; i++) {
    if (listed.length > 0 && i % 2 === 0) out.push(listed[Math.floor(next() * listed.length)]!);
    else out.push(`visitor-${Math.floor(next() * 1e9)}`);
  }
  return out;
}
