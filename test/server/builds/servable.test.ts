/**
 * A strategy serves only what can be served: never a failed build, and `full` (every user) only a
 * deployed one; a rollback never restores a full build that failed since. Otherwise the product would
 * vanish from every manifest.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, manifestFor, seedProduct, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`servable builds on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const register = async (product: string, version: string): Promise<number> => {
      const r = await s.call('POST', '/api/v1/resources', { product, version }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    const fail = async (id: number, status: 'build_failed' | 'deploy_failed'): Promise<void> => {
      const r = await s.call('PATCH', `/api/v1/resources/${id}`, { status }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(200);
    };
    const strategy = (product: string, resourceId: number, status: string) =>
      s.call('POST', '/api/v1/strategies', { product, resourceId, status, ...(status === 'gray' ? { rule: { users: ['alice'] } } : {}) }, s.auth.operator);

    test.each([
      ['built', 'full', 409],
      ['built', 'gray', 201],
      ['built', 'off', 201],
      ['build_failed', 'full', 409],
      ['build_failed', 'gray', 409],
      ['build_failed', 'off', 201],
      ['deploy_failed', 'gray', 409],
    ] as const)('a %s build as a %s strategy: %i', async (build, status, want) => {
      const product = `sv-${build.replace('_', '-')}-${status}`;
      await seedProduct(s, product, ['1.0.0']);
      const id = await register(product, '2.0.0');
      if (build !== 'built') await fail(id, build);
      const r = await strategy(product, id, status);
      expect(r.statusCode, r.body).toBe(want);
      if (want === 409) expect(r.json().error).toMatchObject({ code: 'build-not-servable', details: { resourceId: id, buildStatus: build } });
    });

    test('turning on a strategy of a build that failed since is refused; the product keeps its full build', async () => {
      const { resources } = await seedProduct(s, 'sv-patch', ['1.0.0']);
      await createStrategy(s, { product: 'sv-patch', resourceId: resources['1.0.0'], status: 'full' });
      const id = await register('sv-patch', '2.0.0');
      const off = await createStrategy(s, { product: 'sv-patch', resourceId: id, status: 'off', rule: { users: ['alice'] } });
      await fail(id, 'build_failed');
      const r = await s.call('PATCH', `/api/v1/strategies/${off.id}`, { status: 'gray' }, { ...s.auth.operator, 'if-match': off.etag });
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().error.code).toBe('build-not-servable');
      expect((await manifestFor(s, ['sv-patch'], 'alice')).body.products['sv-patch']?.version).toBe('1.0.0');
    });

    test('a rollback keeps the current full build when the one it replaced has failed since', async () => {
      const { resources } = await seedProduct(s, 'sv-rollback', ['1.0.0', '2.0.0']);
      await createStrategy(s, { product: 'sv-rollback', resourceId: resources['1.0.0'], status: 'full' });
      await createStrategy(s, { product: 'sv-rollback', resourceId: resources['2.0.0'], status: 'full' });
      await createStrategy(s, { product: 'sv-rollback', resourceId: resources['2.0.0'], status: 'gray', rule: { users: ['alice'] } });
      await fail(resources['1.0.0']!, 'deploy_failed');
      const r = await s.call('POST', '/api/v1/products/sv-rollback/rollback', undefined, s.auth.operator);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().restoredFullId).toBeNull();
      expect((await manifestFor(s, ['sv-rollback'], 'bob')).body.products['sv-rollback']?.version).toBe('2.0.0');
    });
  });
}
