/**
 * Who gets what (`POST /explain`) on the real app and database: for every user, attribute, IP, header
 * and cookie a rule reads, the answer names the same build and strategy that user's own
 * getConsoleVersion gets; viewers may ask (token or session cookie), anonymous callers may not, and bad
 * input is a 400.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, seedProduct, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

interface Explained {
  resourceId: number;
  version: string;
  strategyId: number;
  status: 'gray' | 'full';
  fallback?: { resourceId: number; version: string };
}

/** A user as both calls see them: getConsoleVersion from the user's own request, explain from the console. */
interface Case {
  userId: string;
  attributes?: Record<string, string>;
  ip?: string;
  headers?: Record<string, string>;
  cookie?: string;
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`who gets what on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let shop: Record<string, number>;
    let cart: Record<string, number>;
    const strategies: Record<string, number> = {};

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      shop = (await seedProduct(s, 'shop', ['1.0.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0', '7.0.0'])).resources;
      cart = (await seedProduct(s, 'cart', ['1.0.0'])).resources;
      await seedProduct(s, 'blog', ['1.0.0']);
      const gray = async (v: string, priority: number, rule: unknown) =>
        (strategies[v] = (await createStrategy(s, { product: 'shop', resourceId: shop[v], status: 'gray', priority, rule })).id);
      strategies['1.0.0'] = (await createStrategy(s, { product: 'shop', resourceId: shop['1.0.0'], status: 'full' })).id;
      await gray('2.0.0', 0, { percent: 50 });
      await gray('3.0.0', 10, { attr: 'group', op: 'eq', value: 'beta' });
      await gray('4.0.0', 20, { ip: ['10.0.0.0/8', '2001:db8::/32'] });
      await gray('5.0.0', 30, { attr: 'header.x-beta', op: 'eq', value: '1' });
      await gray('6.0.0', 40, { attr: 'cookie.ab', op: 'eq', value: 'b' });
      await gray('7.0.0', 50, { users: ['vip'] });
      await createStrategy(s, { product: 'cart', resourceId: cart['1.0.0'], status: 'full' });
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const explain = (body: unknown, headers: Record<string, string> = s.auth.viewer) => s.call('POST', '/api/v1/explain', body, headers);

    async function viaConsoleVersion(c: Case): Promise<Record<string, unknown>> {
      const r = await s.inject({
        method: 'POST',
        url: '/api/v1/console-version',
        remoteAddress: c.ip ?? '127.0.0.1',
        headers: { 'content-type': 'application/json', ...c.headers, ...(c.cookie !== undefined ? { cookie: c.cookie } : {}) },
        payload: JSON.stringify({ products: ['shop', 'cart', 'blog'], userId: c.userId, ...(c.attributes ? { attributes: c.attributes } : {}) }),
      });
      expect(r.statusCode, r.body).toBe(200);
      const products = r.json().products as Record<string, Explained & Record<string, unknown>>;
      const out: Record<string, unknown> = { blog: null };
      for (const [name, e] of Object.entries(products)) {
        out[name] = {
          resourceId: e.resourceId, version: e.version, strategyId: e.strategyId, status: e.status,
          ...(e.fallback ? { fallback: { resourceId: e.fallback.resourceId, version: e.fallback.version } } : {}),
        };
      }
      return out;
    }

    async function viaExplain(c: Case): Promise<{ revision: number; products: Record<string, Explained | null> }> {
      const attributes: Record<string, string> = { ...c.attributes };
      for (const [k, v] of Object.entries(c.headers ?? {})) attributes[`header.${k}`] = v;
      if (c.cookie !== undefined) for (const pair of c.cookie.split('; ')) attributes[`cookie.${pair.split('=')[0]}`] = pair.split('=')[1]!;
      const r = await explain({ userId: c.userId, attributes, ip: c.ip ?? '127.0.0.1' });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    }

    const cases: Case[] = [
      ...Array.from({ length: 24 }, (_, i) => ({ userId: `user-${i}` })),
      { userId: 'ann', attributes: { group: 'beta' } },
      { userId: 'ben', attributes: { group: 'alpha' } },
      { userId: 'cat', ip: '10.1.2.3' },
      { userId: 'dan', ip: '2001:db8::7' },
      { userId: 'eve', ip: '192.0.2.1', attributes: { group: 'beta' } },
      { userId: 'fay', headers: { 'x-beta': '1' } },
      { userId: 'gus', headers: { 'x-beta': '0' }, attributes: { group: 'beta' } },
      { userId: 'hal', cookie: 'ab=b' },
      { userId: 'ivy', cookie: 'ab=a; other=1' },
      { userId: 'vip', ip: '10.9.9.9' },
    ];

    test('every user gets from explain exactly what their own getConsoleVersion gives them', async () => {
      const seen = new Set<string>();
      for (const c of cases) {
        const want = await viaConsoleVersion(c);
        const got = await viaExplain(c);
        expect(got.products, JSON.stringify(c)).toEqual(want);
        seen.add((got.products['shop'] as Explained).version);
      }
      // Every strategy decided someone: the comparison covered the percent, attribute, ip, header, cookie and list rules.
      expect([...seen].sort()).toEqual(['1.0.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0', '7.0.0']);
    });

    test('the answer names the revision, the strategy and the fallback; every product, null when it serves nothing', async () => {
      const r = await explain({ userId: 'ann', attributes: { group: 'beta' } });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.revision).toBe(s.deps.snapshot.current().revision);
      expect(body.products).toEqual({
        blog: null,
        cart: { resourceId: cart['1.0.0'], version: '1.0.0', strategyId: expect.any(Number), status: 'full' },
        shop: {
          resourceId: shop['3.0.0'], version: '3.0.0', strategyId: strategies['3.0.0'], status: 'gray',
          fallback: { resourceId: shop['1.0.0'], version: '1.0.0' },
        },
      });
    });

    test('listed products only; names that are no product are left out', async () => {
      const r = await explain({ userId: 'ann', products: ['cart', 'nope', 'blog'] });
      expect(r.statusCode).toBe(200);
      expect(Object.keys(r.json().products).sort()).toEqual(['blog', 'cart']);
    });

    test('without ip, the caller\'s own address stands for the user\'s', async () => {
      const from = (remoteAddress: string) => s.inject({
        method: 'POST', url: '/api/v1/explain', remoteAddress,
        headers: { 'content-type': 'application/json', ...s.auth.viewer }, payload: JSON.stringify({ userId: 'zed', products: ['shop'] }),
      });
      expect((await from('10.4.4.4')).json().products.shop.version).toBe('4.0.0');
      expect((await from('192.0.2.9')).json().products.shop.version).not.toBe('4.0.0');
    });

    test('claim attributes stand for a verified identity token\'s claims', async () => {
      await createStrategy(s, { product: 'blog', resourceId: (await s.call('GET', '/api/v1/products/blog/resources', undefined, s.auth.viewer)).json().resources[0].id, status: 'gray', rule: { attr: 'claim.plan', op: 'eq', value: 'pro' } });
      expect((await explain({ userId: 'x', products: ['blog'], attributes: { 'claim.plan': 'pro' } })).json().products.blog).toMatchObject({ version: '1.0.0', status: 'gray' });
      expect((await explain({ userId: 'x', products: ['blog'], attributes: { 'claim.plan': 'free' } })).json().products.blog).toBeNull();
    });

    test('viewers may ask, by token or by session cookie; anonymous callers get 401, other sites 403', async () => {
      expect((await explain({ userId: 'a' }, s.auth.viewer)).statusCode).toBe(200);
      expect((await explain({ userId: 'a' }, s.auth.operator)).statusCode).toBe(200);
      const anonymous = await explain({ userId: 'a' }, {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');

      const made = await s.call('POST', '/api/v1/users', { username: 'watcher', password: 'watcher-password', role: 'viewer' }, s.auth.admin);
      expect(made.statusCode, made.body).toBe(201);
      const signIn = await s.call('POST', '/api/v1/session', { username: 'watcher', password: 'watcher-password' });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const own = await explain({ userId: 'a' }, { cookie, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' });
      expect(own.statusCode, own.body).toBe(200);
      const foreign = await explain({ userId: 'a' }, { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json().error.code).toBe('cross-site-request');
    });

    test('the OpenAPI document lists /api/v1/explain with a summary', async () => {
      const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(doc.paths['/api/v1/explain']?.['post']?.summary).toEqual(expect.stringMatching(/\w/));
    });

    test.each<[string, unknown]>([
      ['an address that is no IP', { ip: 'nope' }],
      ['a shorthand IPv4 form', { ip: '127.1' }],
      ['an IP with a port', { ip: '10.0.0.1:80' }],
      ['an unknown field', { user: 'a' }],
      ['101 attributes', { attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, 'x'])) }],
      ['a too long attribute value', { attributes: { group: 'x'.repeat(1025) } }],
      ['a too long attribute name', { attributes: { ['k'.repeat(129)]: 'x' } }],
      ['an object attribute value', { attributes: { group: { a: 1 } } }],
      ['an empty product list', { products: [] }],
      ['a bad product name', { products: ['../shop'] }],
      ['an empty userId', { userId: '' }],
      ['a numeric userId', { userId: 7 }],
    ])('bad input: %s is 400 invalid-input', async (_name, body) => {
      const r = await explain(body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
    });
  });
}
