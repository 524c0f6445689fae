/**
 * FINCH_RELEASES_ORIGIN: the server answers build files only under that origin's name, and nothing else
 * there; manifests name hosted builds by absolute URLs on it. The console's origin serves no build file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, manifestFor, startServer, type TestLocation, type TestServer } from '../harness.js';
import { newResource, tarGz, upload } from './support.js';

const PUBLIC = { host: '127.0.0.1:8080' };
const RELEASES = { host: 'localhost:8080' };

describe('builds on their own origin', () => {
  let loc: TestLocation;
  let s: TestServer;
  let id = 0;

  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { env: { FINCH_PUBLIC_ORIGIN: 'http://127.0.0.1:8080', FINCH_RELEASES_ORIGIN: 'http://localhost:8080', FINCH_ASSET_ORIGINS: 'https://cdn.example.com' } });
    id = await newResource(s, 'shop', '1.0.0', { dependencies: ['/releases/shop/1/lib.js', 'https://cdn.example.com/react.js'] });
    const r = await upload(s, id, await tarGz([{ name: 'main.js', content: 'export {}' }, { name: 'index.html', content: '<script>alert(1)</script>' }]), s.auth.publish);
    expect(r.statusCode, r.body).toBe(200);
    await createStrategy(s, { product: 'shop', resourceId: id, status: 'full' });
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  test('the manifest names the build and its dependencies on the releases origin; the stored resource keeps its paths', async () => {
    const m = await manifestFor(s, ['shop'], 'alice');
    const entry = m.body.products['shop'] as unknown as { baseUrl: string; dependencies: string[] };
    expect(entry.baseUrl).toBe(`http://localhost:8080/releases/shop/${id}/`);
    expect(entry.dependencies).toEqual(['http://localhost:8080/releases/shop/1/lib.js', 'https://cdn.example.com/react.js']);
    const stored = await s.call('GET', `/api/v1/resources/${id}`, undefined, s.auth.admin);
    expect(stored.json().baseUrl).toBe(`/releases/shop/${id}/`);
  });

  test('build files are served on the releases origin only', async () => {
    const there = await s.inject({ method: 'GET', url: `/releases/shop/${id}/main.js`, headers: RELEASES });
    expect(there.statusCode).toBe(200);
    expect(there.body).toBe('export {}');
    for (const file of ['main.js', 'index.html']) {
      const here = await s.inject({ method: 'GET', url: `/releases/shop/${id}/${file}`, headers: PUBLIC });
      expect(here.statusCode).toBe(404);
      expect(here.json().error.message).toContain('http://localhost:8080/releases/');
    }
  });

  test('the releases origin serves nothing but builds: no API, no sign-in', async () => {
    for (const [method, url] of [['GET', '/api/v1/products'], ['POST', '/api/v1/session'], ['GET', '/finch-sw.js'], ['GET', '/api/v1/openapi.json']] as const) {
      const r = await s.inject({ method, url, headers: { ...RELEASES, ...s.auth.admin } });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().error.code).toBe('not-found');
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/products', headers: { ...PUBLIC, ...s.auth.admin } })).statusCode).toBe(200);
  });
});
