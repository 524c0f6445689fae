/**
 * `GET /revision`, which open consoles poll to notice changes: the revision with `ETag: "r<n>"`, a 304
 * while nothing changed, a new revision after a strategy PATCH; viewers only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, seedProduct, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`the revision on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let strategy: { id: number; etag: string };

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      const { resources } = await seedProduct(s, 'shop', ['1.0.0']);
      strategy = await createStrategy(s, { product: 'shop', resourceId: resources['1.0.0'], status: 'gray', rule: { percent: 5 } });
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const revision = (headers: Record<string, string> = {}) => s.call('GET', '/api/v1/revision', undefined, { ...s.auth.viewer, ...headers });

    test('answers the stored revision with its ETag; the same ETag back is a 304', async () => {
      const r = await revision();
      expect(r.statusCode).toBe(200);
      const stored = Number((await s.deps.db.query<{ value: string }>('SELECT value FROM revision')).rows[0]!.value);
      expect(r.json()).toEqual({ revision: stored });
      expect(r.headers['etag']).toBe(`"r${stored}"`);
      expect(r.headers['cache-control']).toBe('private, no-cache');
      const same = await revision({ 'if-none-match': `"r${stored}"` });
      expect(same.statusCode).toBe(304);
      expect(same.body).toBe('');
      expect(same.headers['etag']).toBe(`"r${stored}"`);
    });

    test('a strategy PATCH moves it: the old ETag gets the new revision', async () => {
      const before = await revision();
      const etag = String(before.headers['etag']);
      const patched = await s.call('PATCH', `/api/v1/strategies/${strategy.id}`, { rule: { percent: 10 } }, { ...s.auth.operator, 'if-match': strategy.etag });
      expect(patched.statusCode, patched.body).toBe(200);
      const after = await revision({ 'if-none-match': etag });
      expect(after.statusCode).toBe(200);
      expect(after.json().revision).toBeGreaterThan(before.json().revision);
      expect(after.headers['etag']).toBe(`"r${after.json().revision}"`);
      expect((await revision({ 'if-none-match': String(after.headers['etag']) })).statusCode).toBe(304);
    });

    test('the OpenAPI document lists /api/v1/revision with a summary', async () => {
      const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(doc.paths['/api/v1/revision']?.['get']?.summary).toEqual(expect.stringMatching(/\w/));
    });

    test('needs a viewer', async () => {
      const r = await s.call('GET', '/api/v1/revision');
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('unauthorized');
    });
  });
}
