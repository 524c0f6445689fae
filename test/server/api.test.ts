/**
 * The control plane's own routes end to end on the real database (PGlite, and PostgreSQL when
 * FINCH_TEST_DATABASE_URL reaches one): CRUD, getConsoleVersion with ETag/304, resolution order and
 * windows, one full per product with rollback, audit rows, and the compare-and-set that prevents lost updates.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveManifest } from '../../core/index.js';
import { createLocation, createStrategy, manifestFor, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`control plane API on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let clock = Date.parse('2030-01-01T00:00:00Z');

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { now: () => clock });
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const auditCount = async (): Promise<number> => Number((await s.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit')).rows[0]?.n);

    test('products: create, read, list, patch, delete, with one audit row each', async () => {
      const a0 = await auditCount();
      const created = await s.call('POST', '/api/v1/products', { name: 'crud-app', description: 'first' }, s.auth.admin);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ name: 'crud-app', description: 'first' });

      expect((await s.call('POST', '/api/v1/products', { name: 'crud-app' }, s.auth.admin)).json().error.code).toBe('conflict');
      const read = await s.call('GET', '/api/v1/products/crud-app', undefined, s.auth.viewer);
      expect(read.statusCode).toBe(200);
      expect(read.json().id).toBe(created.json().id);
      const list = await s.call('GET', '/api/v1/products', undefined, s.auth.viewer);
      expect(list.json().products.map((p: { name: string }) => p.name)).toContain('crud-app');

      const patched = await s.call('PATCH', '/api/v1/products/crud-app', { description: 'second' }, s.auth.admin);
      expect(patched.statusCode).toBe(200);
      expect(patched.json().description).toBe('second');

      const res = await s.call('POST', '/api/v1/resources', { product: 'crud-app', version: '1.0.0', baseUrl: '/releases/crud-app/x/', files: ['main.js'], status: 'deployed' }, s.auth.admin);
      expect(res.statusCode).toBe(201);
      await createStrategy(s, { product: 'crud-app', resourceId: res.json().id, status: 'full' });

      const del = await s.call('DELETE', '/api/v1/products/crud-app', undefined, s.auth.admin);
      expect(del.statusCode).toBe(204);
      expect((await s.call('GET', '/api/v1/products/crud-app', undefined, s.auth.viewer)).statusCode).toBe(404);
      expect((await s.call('GET', `/api/v1/resources/${res.json().id}`, undefined, s.auth.viewer)).statusCode).toBe(404);
      // create, 409 (nothing), patch, resource, strategy, delete
      expect(await auditCount()).toBe(a0 + 5);
      const last = await s.deps.db.query<{ action: string; actor: string; request_id: string }>('SELECT action, actor, request_id FROM audit ORDER BY id DESC LIMIT 1');
      expect(last.rows[0]).toMatchObject({ action: 'product.delete', actor: expect.stringMatching(/^token:\d+$/) });
      expect(last.rows[0]?.request_id).toBeTruthy();
    });

    test('roles: reads need a viewer, product writes an admin, strategy writes an operator', async () => {
      expect((await s.call('GET', '/api/v1/products')).statusCode).toBe(401);
      expect((await s.call('POST', '/api/v1/products', { name: 'nope' }, s.auth.operator)).statusCode).toBe(403);
      expect((await s.call('POST', '/api/v1/products', { name: 'nope' }, s.auth.viewer)).statusCode).toBe(403);
      expect((await s.call('POST', '/api/v1/strategies', { product: 'nope', resourceId: 1 }, s.auth.viewer)).statusCode).toBe(403);
      expect((await s.call('GET', '/api/v1/products/nope', undefined, s.auth.admin)).statusCode).toBe(404);
    });

    test('resources: create (default hosted baseUrl), list newest first, read, patch status and config, idempotent re-register, 409 on other content', async () => {
      await s.call('POST', '/api/v1/products', { name: 'res-app' }, s.auth.admin);
      const hosted = await s.call('POST', '/api/v1/resources', { product: 'res-app', version: '1.0.0', branch: 'main', commit: 'abc123' }, s.auth.publish);
      expect(hosted.statusCode).toBe(201);
      const h = hosted.json();
      expect(h).toMatchObject({ product: 'res-app', version: '1.0.0', status: 'built', baseUrl: `/releases/res-app/${h.id}/`, files: [], branch: 'main', commit: 'abc123' });

      const ext = await s.call('POST', '/api/v1/resources', {
        product: 'res-app', version: '2.0.0', baseUrl: '/releases/res-app/cdn-2.0.0/', files: ['main.js', 'main.css'],
        integrity: { 'main.js': 'sha384-AAAA', 'main.css': 'sha384-BBBB' }, dependencies: ['/releases/shared/1/react.js'], status: 1,
      }, s.auth.publish);
      expect(ext.statusCode).toBe(201);
      expect(ext.json().status).toBe('deployed');

      // Same content again: 200 and the same id; other files: 409.
      const again = await s.call('POST', '/api/v1/resources', {
        product: 'res-app', version: '2.0.0', baseUrl: '/releases/res-app/cdn-2.0.0/', files: ['main.js', 'main.css'],
        integrity: { 'main.css': 'sha384-BBBB', 'main.js': 'sha384-AAAA' },
      }, s.auth.publish);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(ext.json().id);
      const other = await s.call('POST', '/api/v1/resources', { product: 'res-app', version: '2.0.0', baseUrl: '/releases/res-app/cdn-2.0.0/', files: ['other.js'] }, s.auth.publish);
      expect(other.statusCode).toBe(409);
      expect(other.json().error.code).toBe('conflict');

      const list = await s.call('GET', '/api/v1/products/res-app/resources', undefined, s.auth.viewer);
      expect(list.json().resources.map((r: { version: string }) => r.version)).toEqual(['2.0.0', '1.0.0']);
      expect((await s.call('GET', `/api/v1/resources/${ext.json().id}`, undefined, s.auth.viewer)).json().dependencies).toEqual(['/releases/shared/1/react.js']);

      const patched = await s.call('PATCH', `/api/v1/resources/${ext.json().id}`, { status: 'deploy_failed', config: { theme: 'dark' } }, s.auth.publish);
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ status: 'deploy_failed', config: { theme: 'dark' }, files: ['main.js', 'main.css'] });
      // A hosted build with no files yet cannot be marked deployed.
      const early = await s.call('PATCH', `/api/v1/resources/${h.id}`, { status: 'deployed' }, s.auth.publish);
      expect(early.statusCode).toBe(409);
      // Files are not patchable.
      expect((await s.call('PATCH', `/api/v1/resources/${h.id}`, { files: ['x.js'] }, s.auth.publish)).statusCode).toBe(400);
    });

    test('publish tokens are limited to their products', async () => {
      await s.call('POST', '/api/v1/products', { name: 'scoped-a' }, s.auth.admin);
      const r = await s.call('POST', '/api/v1/resources', { product: 'scoped-a', version: '1.0.0' }, s.auth.viewer);
      expect(r.statusCode).toBe(403);
      expect((await s.call('POST', '/api/v1/resources', { product: 'scoped-a', version: '1.0.0' })).statusCode).toBe(401);
    });

    test('getConsoleVersion: GET and POST agree, ETag and 304, revision grows with changes, unknown products absent', async () => {
      const { resources } = await seedProduct(s, 'cv-app', ['1.0.0', '2.0.0']);
      const full = await createStrategy(s, { product: 'cv-app', resourceId: resources['1.0.0'], status: 'full' });
      await createStrategy(s, { product: 'cv-app', resourceId: resources['2.0.0'], status: 'gray', rule: { users: ['alice'] } });

      const get = await s.inject({ method: 'GET', url: '/api/v1/console-version?products=cv-app,missing-app&userId=alice' });
      expect(get.statusCode).toBe(200);
      const m = get.json();
      expect(m).toMatchObject({ schema: 1, userId: 'alice', ttlSeconds: 300, serviceWorker: { enabled: true } });
      expect(Object.keys(m.products)).toEqual(['cv-app']);
      expect(m.products['cv-app']).toMatchObject({ version: '2.0.0', status: 'gray', resourceId: resources['2.0.0'], baseUrl: '/releases/cv-app/2.0.0/', files: ['main.js'], fallback: { version: '1.0.0', resourceId: resources['1.0.0'] } });

      const post = await manifestFor(s, ['cv-app'], 'alice');
      expect(post.body).toEqual(m);
      const bob = await manifestFor(s, ['cv-app'], 'bob');
      expect(bob.body.products['cv-app']).toMatchObject({ version: '1.0.0', status: 'full', strategyId: full.id });
      expect(bob.body.products['cv-app']?.fallback).toBeUndefined();

      const etag = String(get.headers['etag']);
      expect(get.headers['cache-control']).toContain('no-cache');
      const again = await s.inject({ method: 'GET', url: '/api/v1/console-version?products=cv-app,missing-app&userId=alice', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const otherUser = await s.inject({ method: 'GET', url: '/api/v1/console-version?products=cv-app&userId=bob', headers: { 'if-none-match': etag } });
      expect(otherUser.statusCode).toBe(200);

      // Any change bumps the revision, so the old ETag no longer matches.
      await s.call('PATCH', `/api/v1/products/cv-app`, { description: 'changed' }, s.auth.admin);
      const after = await s.inject({ method: 'GET', url: '/api/v1/console-version?products=cv-app,missing-app&userId=alice', headers: { 'if-none-match': etag } });
      expect(after.statusCode).toBe(200);
      expect(after.json().revision).toBeGreaterThan(m.revision);
    });

    test('resolution: highest priority gray wins, ties go to the most recently updated, then full, non-deployed skipped', async () => {
      const { resources } = await seedProduct(s, 'prio-app', ['1.0.0', '2.0.0', '3.0.0', '4.0.0']);
      await createStrategy(s, { product: 'prio-app', resourceId: resources['1.0.0'], status: 'full' });
      const low = await createStrategy(s, { product: 'prio-app', resourceId: resources['2.0.0'], status: 'gray', priority: 1, rule: { attr: 'group', op: 'eq', value: 'beta' } });
      const high = await createStrategy(s, { product: 'prio-app', resourceId: resources['3.0.0'], status: 'gray', priority: 5, rule: { attr: 'group', op: 'in', values: ['beta', 'staff'] } });

      expect((await manifestFor(s, ['prio-app'], 'u1', { group: 'beta' })).body.products['prio-app']?.version).toBe('3.0.0');
      expect((await manifestFor(s, ['prio-app'], 'u1', { group: 'other' })).body.products['prio-app']?.version).toBe('1.0.0');

      // Same priority: the one updated last wins, in both directions.
      const r1 = await s.call('PATCH', `/api/v1/strategies/${low.id}`, { priority: 5 }, { ...s.auth.operator, 'if-match': low.etag });
      expect(r1.statusCode).toBe(200);
      expect((await manifestFor(s, ['prio-app'], 'u1', { group: 'beta' })).body.products['prio-app']?.version).toBe('2.0.0');
      const r2 = await s.call('PATCH', `/api/v1/strategies/${high.id}`, { priority: 5 }, { ...s.auth.operator, 'if-match': high.etag });
      expect(r2.statusCode).toBe(200);
      expect((await manifestFor(s, ['prio-app'], 'u1', { group: 'beta' })).body.products['prio-app']?.version).toBe('3.0.0');

      // A gray strategy whose build is not deployed is skipped.
      await s.call('PATCH', `/api/v1/resources/${resources['3.0.0']}`, { status: 'deploy_failed' }, s.auth.publish);
      expect((await manifestFor(s, ['prio-app'], 'u1', { group: 'beta' })).body.products['prio-app']?.version).toBe('2.0.0');
    });

    test('time windows: a strategy counts only between startsAt and endsAt', async () => {
      const { resources } = await seedProduct(s, 'win-app', ['1.0.0', '2.0.0']);
      await createStrategy(s, { product: 'win-app', resourceId: resources['1.0.0'], status: 'full' });
      await createStrategy(s, {
        product: 'win-app', resourceId: resources['2.0.0'], status: 'gray', rule: { percent: 100 },
        startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-03-01T00:00:00.000Z',
      });
      const version = async (): Promise<string | undefined> => (await manifestFor(s, ['win-app'], 'u1')).body.products['win-app']?.version;
      clock = Date.parse('2030-01-31T23:59:59Z');
      expect(await version()).toBe('1.0.0');
      clock = Date.parse('2030-02-01T00:00:00Z');
      expect(await version()).toBe('2.0.0');
      clock = Date.parse('2030-02-28T23:59:59Z');
      expect(await version()).toBe('2.0.0');
      clock = Date.parse('2030-03-01T00:00:00Z');
      expect(await version()).toBe('1.0.0');
      clock = Date.parse('2030-01-01T00:00:00Z');
    });

    test('at most one full: a new full retires the old one, rollback restores it and turns every gray off', async () => {
      const { resources } = await seedProduct(s, 'full-app', ['1.0.0', '2.0.0', '3.0.0']);
      const f1 = await createStrategy(s, { product: 'full-app', resourceId: resources['1.0.0'], status: 'full' });
      const f2 = await createStrategy(s, { product: 'full-app', resourceId: resources['2.0.0'], status: 'success' });
      const gray = await createStrategy(s, { product: 'full-app', resourceId: resources['3.0.0'], status: 1, rule: { users: ['alice'] } });

      const list = await s.call('GET', '/api/v1/products/full-app/strategies', undefined, s.auth.viewer);
      const byId = new Map(list.json().strategies.map((x: { id: number }) => [x.id, x]));
      expect(byId.get(f1.id)).toMatchObject({ status: 'off' });
      expect(byId.get(f2.id)).toMatchObject({ status: 'full', previousFullId: f1.id });
      expect((await manifestFor(s, ['full-app'], 'bob')).body.products['full-app']?.version).toBe('2.0.0');
      expect((await manifestFor(s, ['full-app'], 'alice')).body.products['full-app']?.version).toBe('3.0.0');

      // The retired full got a new version, so its old ETag is stale.
      const stale = await s.call('PATCH', `/api/v1/strategies/${f1.id}`, { priority: 3 }, { ...s.auth.operator, 'if-match': f1.etag });
      expect(stale.statusCode).toBe(412);

      const rb = await s.call('POST', '/api/v1/products/full-app/rollback', undefined, s.auth.operator);
      expect(rb.statusCode).toBe(200);
      expect(rb.json()).toMatchObject({ restoredFullId: f1.id });
      expect(rb.json().turnedOff.sort()).toEqual([f2.id, gray.id].sort());
      const inEffect = rb.json().strategies.filter((x: { status: string }) => x.status !== 'off').map((x: { id: number }) => x.id);
      expect(inEffect).toEqual([f1.id]);
      expect((await manifestFor(s, ['full-app'], 'alice')).body.products['full-app']?.version).toBe('1.0.0');
      expect(await s.deps.db.query(`SELECT 1 FROM audit WHERE action = 'product.rollback' AND product = 'full-app'`)).toMatchObject({ rowCount: 1 });

      // Making a strategy full through PATCH retires the current one too.
      const g = await s.call('GET', `/api/v1/strategies/${gray.id}`, undefined, s.auth.viewer);
      const up = await s.call('PATCH', `/api/v1/strategies/${gray.id}`, { status: 'full' }, { ...s.auth.operator, 'if-match': String(g.headers['etag']) });
      expect(up.statusCode).toBe(200);
      expect(up.json()).toMatchObject({ status: 'full', previousFullId: f1.id });
      const fulls = await s.deps.db.query(`SELECT s.id FROM strategies s JOIN products p ON p.id = s.product_id WHERE p.name = 'full-app' AND s.status = 'full'`);
      expect(fulls.rows).toEqual([{ id: gray.id }]);
    });

    test('strategy ETag: GET gives it, If-None-Match 304, PATCH without If-Match 428, stale 412, fresh 200 with a new ETag', async () => {
      const { resources } = await seedProduct(s, 'etag-app', ['1.0.0']);
      const st = await createStrategy(s, { product: 'etag-app', resourceId: resources['1.0.0'], status: 'off' });
      const g = await s.call('GET', `/api/v1/strategies/${st.id}`, undefined, s.auth.viewer);
      expect(g.headers['etag']).toBe(st.etag);
      expect((await s.call('GET', `/api/v1/strategies/${st.id}`, undefined, { ...s.auth.viewer, 'if-none-match': st.etag })).statusCode).toBe(304);

      const none = await s.call('PATCH', `/api/v1/strategies/${st.id}`, { priority: 2 }, s.auth.operator);
      expect(none.statusCode).toBe(428);
      expect(none.json().error.code).toBe('precondition-required');
      const ok = await s.call('PATCH', `/api/v1/strategies/${st.id}`, { priority: 2 }, { ...s.auth.operator, 'if-match': st.etag });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['etag']).not.toBe(st.etag);
      const stale = await s.call('PATCH', `/api/v1/strategies/${st.id}`, { priority: 3 }, { ...s.auth.operator, 'if-match': st.etag });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().error.code).toBe('precondition-failed');
      const weak = await s.call('PATCH', `/api/v1/strategies/${st.id}`, { priority: 3 }, { ...s.auth.operator, 'if-match': `W/${String(ok.headers['etag'])}` });
      expect(weak.statusCode).toBe(412);
      expect((await s.call('GET', `/api/v1/strategies/${st.id}`, undefined, s.auth.viewer)).json().priority).toBe(2);
    });

    test('lost updates: 50 concurrent PATCHes with one ETag → exactly one 2xx and 49 × 412, one audit row', async () => {
      const { resources } = await seedProduct(s, 'race-app', ['1.0.0']);
      const st = await createStrategy(s, { product: 'race-app', resourceId: resources['1.0.0'], status: 'gray', rule: { users: ['x'] } });
      const before = await auditCount();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          s.call('PATCH', `/api/v1/strategies/${st.id}`, { priority: i + 1 }, { ...s.auth.operator, 'if-match': st.etag })),
      );
      const codes = answers.map((a) => a.statusCode);
      expect(codes.filter((c) => c >= 200 && c < 300)).toHaveLength(1);
      expect(codes.filter((c) => c === 412)).toHaveLength(49);
      const winner = answers.find((a) => a.statusCode === 200)?.json();
      const now = (await s.call('GET', `/api/v1/strategies/${st.id}`, undefined, s.auth.viewer)).json();
      expect(now.priority).toBe(winner.priority);
      expect(now.version).toBe(2);
      expect(await auditCount()).toBe(before + 1);
    });

    test('the served bytes are what the core resolver gives for the current snapshot', async () => {
      const { resources } = await seedProduct(s, 'same-app', ['1.0.0', '2.0.0']);
      await createStrategy(s, { product: 'same-app', resourceId: resources['1.0.0'], status: 'full' });
      await createStrategy(s, { product: 'same-app', resourceId: resources['2.0.0'], status: 'gray', rule: { percent: 50 } });
      const products = ['same-app', 'cv-app', 'prio-app', 'nope-app'];
      const loaded = s.deps.snapshot.current();
      for (let i = 0; i < 40; i++) {
        const userId = `user-${i}`;
        const r = await s.inject({ method: 'GET', url: `/api/v1/console-version?products=${products.join(',')}&userId=${userId}` });
        const expected = resolveManifest(loaded.snapshot, { userId, ip: '127.0.0.1', attributes: {} }, products, clock);
        expect(r.body).toBe(JSON.stringify(expected));
      }
    });

    test('OpenAPI 3.1 document lists the routes with their schemas', async () => {
      const r = await s.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(r.statusCode).toBe(200);
      const doc = r.json();
      expect(doc.openapi).toMatch(/^3\.1/);
      for (const p of ['/api/v1/products', '/api/v1/products/{name}', '/api/v1/resources/{id}', '/api/v1/strategies/{id}', '/api/v1/console-version', '/api/v1/products/{name}/rollback']) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
      expect(doc.paths['/api/v1/strategies']['post'].requestBody).toBeDefined();
    });

    test('unknown routes: 404 with the error body', async () => {
      const r = await s.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
    });
  });
}
