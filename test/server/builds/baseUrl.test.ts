/**
 * Where a registered build may point (POST /resources): inside its own product's release folder on
 * this server, or on an asset origin (FINCH_ASSET_ORIGINS); dependencies at any published build or an
 * asset origin. Never another product's build, never the control plane. Admins are held to the same
 * places as publish tokens. Refusals are 400 with a code, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

const ORIGIN = 'https://finch.example.com';
const CDN = 'https://cdn.example.com';

/** baseUrl of a build of product "app" → the expected answer: 201, or the error code of a 400. */
const BASE_URLS: Array<[string, 201 | 'forbidden-url' | 'unsafe-url']> = [
  ['/releases/app/cdn-1/', 201],
  ['/releases/app/2.0.0/', 201],
  ['/releases/app/a/b/', 201],
  [`${ORIGIN}/releases/app/x/`, 201],
  ['HTTPS://FINCH.EXAMPLE.COM/releases/app/y/', 201],
  [`${CDN}/app/1/`, 201],
  [`${CDN}/releases/other/1/`, 201],
  // Another product's build, the folder itself, the control plane, look-alikes.
  ['/releases/other/3/', 'forbidden-url'],
  [`${ORIGIN}/releases/other/3/`, 'forbidden-url'],
  ['/releases/app-two/3/', 'forbidden-url'],
  ['/releases/app/', 'forbidden-url'],
  ['/releases/', 'forbidden-url'],
  ['/', 'forbidden-url'],
  ['/api/v1/', 'forbidden-url'],
  ['/api/v1/resources/', 'forbidden-url'],
  [`${ORIGIN}/api/v1/`, 'forbidden-url'],
  ['/console/', 'forbidden-url'],
  ['/cdn/app/1/', 'forbidden-url'],
  // Mixed case and encoded letters are other paths, not this product's folder.
  ['/Releases/app/1/', 'forbidden-url'],
  ['/releases/APP/1/', 'forbidden-url'],
  ['/releases/%61pp/1/', 'forbidden-url'],
  ['/r%65leases/app/1/', 'forbidden-url'],
  // Escapes are refused as unsafe before anything else.
  ['/releases/app/%2e%2e/other/', 'unsafe-url'],
  ['/releases/app/%2E%2E/other/', 'unsafe-url'],
  ['/releases/app/../other/', 'unsafe-url'],
  ['/releases/app/..%2fother/', 'unsafe-url'],
  ['/releases/app/%252e%252e/other/', 'unsafe-url'],
  ['/releases/app\\..\\other/', 'unsafe-url'],
  ['//evil.test/releases/app/1/', 'unsafe-url'],
  ['//finch.example.com/releases/app/1/', 'unsafe-url'],
  ['https://evil.test/releases/app/1/', 'unsafe-url'],
];

/** dependencies entry of a build of "app" → the expected answer. */
const DEPENDENCIES: Array<[string, 201 | 'forbidden-url' | 'unsafe-url']> = [
  ['/releases/vendor/7/react.js', 201],
  ['/releases/app/1/lib.js', 201],
  [`${ORIGIN}/releases/vendor/7/react.js`, 201],
  [`${CDN}/react@18/umd/react.production.min.js`, 201],
  ['/api/v1/console-version', 'forbidden-url'],
  ['/api/v1/tokens', 'forbidden-url'],
  [`${ORIGIN}/api/v1/products`, 'forbidden-url'],
  ['/finch-sw.js', 'forbidden-url'],
  ['/console/app.js', 'forbidden-url'],
  ['/shared/react.js', 'forbidden-url'],
  ['/releases/vendor/react.js', 'forbidden-url'],
  ['/RELEASES/vendor/7/react.js', 'forbidden-url'],
  ['/releases/vendor/7/%2e%2e/%2e%2e/%2e%2e/api/v1/x.js', 'unsafe-url'],
  ['//evil.test/react.js', 'unsafe-url'],
];

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`where a build may point on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let n = 0;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { env: { FINCH_PUBLIC_ORIGIN: ORIGIN, FINCH_ASSET_ORIGINS: CDN } });
      for (const name of ['app', 'other', 'vendor']) {
        expect((await s.call('POST', '/api/v1/products', { name }, s.auth.admin)).statusCode).toBe(201);
      }
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const resourceCount = async (): Promise<number> => Number((await s.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM resources')).rows[0]?.n);

    async function register(who: 'publish' | 'admin', body: Record<string, unknown>, want: 201 | string): Promise<void> {
      const before = await resourceCount();
      const r = await s.call('POST', '/api/v1/resources', { product: 'app', version: `1.0.${++n}`, files: ['main.js'], ...body }, s.auth[who]);
      if (want === 201) {
        expect(r.statusCode, r.body).toBe(201);
        expect(await resourceCount()).toBe(before + 1);
        return;
      }
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe(want);
      expect(await resourceCount()).toBe(before);
    }

    describe.each(['publish', 'admin'] as const)('with a %s token', (who) => {
      test.each(BASE_URLS)('baseUrl %j: %s', (baseUrl, want) => register(who, { baseUrl }, want));
      test.each(DEPENDENCIES)('dependency %j: %s', (dep, want) => register(who, { baseUrl: '/releases/app/deps/', dependencies: [dep] }, want));
    });

    test('the refusal says where a build of this product may live', async () => {
      const r = await s.call('POST', '/api/v1/resources', { product: 'app', version: '9.9.9', baseUrl: '/releases/other/3/', files: ['main.js'] }, s.auth.publish);
      expect(r.json().error.message).toContain('/releases/app/');
      expect(r.json().error.details).toEqual({ value: '/releases/other/3/' });
    });
  });
}
