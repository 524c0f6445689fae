/**
 * Property-based fuzzing of every API route, listed from the app itself so that a new route is fuzzed
 * too: hostile path parameters, queries, bodies (valid examples broken field by field, or replaced
 * whole) and content types, as an admin token and as a publish token. Whatever arrives, the answer is
 * below 500, and every 4xx carries `{"error": {"code", "message"}}` with a kebab-case code.
 * FINCH_FUZZ_SEED reproduces a failing run (the failure prints it); FINCH_FUZZ_RUNS makes runs longer.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';
import { tarGz, type TarEntry } from './builds/support.js';
import { exampleBodies, UNIQUE, type Seeded } from './fuzz/examples.js';
import { describeRequest, requestArb, type OpenApi } from './fuzz/requests.js';
import { listRoutes, type RouteInfo } from './fuzz/routeList.js';

const SEED = Number(process.env['FINCH_FUZZ_SEED'] ?? 20_260_601);
const RUNS = Number(process.env['FINCH_FUZZ_RUNS'] ?? 600);
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`fuzzing every API route on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let routes: RouteInfo[];
    let seeded: Seeded;
    let doc: OpenApi;
    let examples: Record<string, unknown>;
    const tarballs: Buffer[] = [];

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      routes = listRoutes(s.app).filter((r) => r.url.startsWith('/api/'));
      doc = s.app.swagger() as unknown as OpenApi;
      const { resources } = await seedProduct(s, 'fuzz-app', ['1.0.0']);
      await seedProduct(s, 'doomed-app', []);
      const hosted = await s.call('POST', '/api/v1/resources', { product: 'fuzz-app', version: '9.0.0' }, s.auth.publish);
      const strategy = await createStrategy(s, { product: 'fuzz-app', resourceId: resources['1.0.0'], status: 'full' });
      const user = await s.call('POST', '/api/v1/users', { username: 'fuzz-user', password: 'fuzz-user-password', role: 'viewer' }, s.auth.admin);
      const token = await s.call('POST', '/api/v1/tokens', { name: 'spare', scopes: ['publish'] }, s.auth.admin);
      expect([hosted.statusCode, user.statusCode, token.statusCode]).toEqual([201, 201, 201]);
      seeded = {
        product: 'fuzz-app', doomedProduct: 'doomed-app', resourceId: resources['1.0.0']!, hostedResourceId: hosted.json().id,
        strategyId: strategy.id, spareTokenId: token.json().id, username: 'fuzz-user',
      };
      examples = exampleBodies(seeded);
      const archives: TarEntry[][] = [
        [{ name: 'main.js', content: 'export {}' }], [{ name: '../evil.js', content: 'x' }], [{ name: '/abs.js', content: 'x' }],
        [{ name: 'a\u0000b.js', content: 'x' }], [{ name: `${'d/'.repeat(60)}main.js`, content: 'x' }], [{ name: 'main.js', type: 'symlink', linkname: '/etc/passwd' }],
        [{ name: 'main.js', content: 'a' }, { name: 'main.js', content: 'b' }], [{ name: '\u00e9\u{1f600}.js', content: 'x' }],
      ];
      for (const entries of archives) tarballs.push(await tarGz(entries).catch(() => gzipSync(Buffer.from('not a tar'))));
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test('the route list is read from the app, and every example names a live route', () => {
      const live = new Set(routes.map((r) => `${r.method} ${r.url}`));
      expect(live.has('PATCH /api/v1/strategies/:id')).toBe(true);
      expect(live.has('PUT /api/v1/resources/:id/files')).toBe(true);
      expect(Object.keys(examples).filter((k) => !live.has(k))).toEqual([]);
    });

    for (const [i, who] of (['admin', 'publish'] as const).entries()) {
      test(`as ${who}: no answer is a 5xx, every 4xx has the error body`, async () => {
        const seed = SEED * 2 + i;
        const statuses = new Map<number, number>();
        let unique = 0;
        // Routes that take a body have more to break: they get three times the share.
        const arb = fc.oneof(...routes.map((route) => ({
          weight: ['POST', 'PUT', 'PATCH'].includes(route.method) ? 3 : 1,
          arbitrary: requestArb(route, { seeded, doc, examples, tarballs, auth: s.auth[who] }),
        })));
        try {
          await fc.assert(
            fc.asyncProperty(arb, async (req) => {
              if (typeof req.payload === 'string') req.payload = req.payload.split(UNIQUE).join(String(++unique));
              const res = await s.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
              statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
              if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${describeRequest(req)}: ${res.body.slice(0, 300)}`);
              if (res.statusCode >= 400 && req.method !== 'HEAD') {
                let error: { code?: unknown; message?: unknown } | undefined;
                try {
                  error = (JSON.parse(res.body) as { error?: typeof error }).error;
                } catch {
                  error = undefined;
                }
                if (typeof error?.code !== 'string' || !KEBAB.test(error.code) || typeof error.message !== 'string') {
                  throw new Error(`${res.statusCode} without the error body for ${describeRequest(req)}: ${res.body.slice(0, 300)}`);
                }
              }
            }),
          // No shrinking: the server keeps state between requests (a stored value can break later reads),
          // so a shrunk case may pass alone; the first failing request is the one to read.
          { seed, numRuns: RUNS, endOnFailure: true },
          );
        } catch (err) {
          throw new Error(`Fuzzing found a bad answer (seed ${seed}; rerun with FINCH_FUZZ_SEED=${SEED}):\n${err instanceof Error ? err.message : String(err)}`);
        }
        // The fuzzer reached handlers, not only the door, and left the server answering.
        const codes = [...statuses.keys()];
        expect(codes.some((c) => c >= 200 && c < 300)).toBe(true);
        expect(codes.some((c) => c >= 400 && c < 500)).toBe(true);
        expect((await s.call('GET', '/api/v1/products', undefined, s.auth.admin)).statusCode).toBe(200);
      });
    }
  });
}
