/**
 * Cross-site request forgery: every mutation that the console's session cookie authenticates refuses a
 * request another site started (by Origin or Sec-Fetch-Site) and any body a form can send, before it
 * reads the body or changes anything. Bearer tokens are not sent by browsers on their own and pass.
 * The routes come from the app's own OpenAPI document, so a new mutation is covered without a new line.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, seedProduct, startServer, type TestLocation, type TestServer } from '../harness.js';
import { auditCount } from '../builds/support.js';

const ADMIN_PASSWORD = 'test-admin-password'; // the harness's FINCH_ADMIN_PASSWORD
const OWN = 'https://finch.example.com';
/** Answer anyone, with no credentials: a page on any site may call them (the SDK does). */
const ANONYMOUS = new Set(['POST /api/v1/console-version', 'POST /api/v1/reports']);

describe('cross-site requests with the session cookie', () => {
  let loc: TestLocation;
  let s: TestServer;
  let cookie: string;
  let mutations: Array<{ method: string; url: string }>;

  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { env: { FINCH_PUBLIC_ORIGIN: OWN } });
    const { resources } = await seedProduct(s, 'shop', ['1.0.0', '2.0.0']);
    const strategy = await createStrategy(s, { product: 'shop', resourceId: resources['1.0.0'], status: 'full' });
    const login = await s.call('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD }, { origin: OWN });
    expect(login.statusCode, login.body).toBe(200);
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const ids: Record<string, string> = { name: 'shop', id: String(strategy.id) };
    const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    mutations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => m.toUpperCase())
        .filter((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m) && !ANONYMOUS.has(`${m} ${path}`))
        .map((method) => ({ method, url: path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? '1') })),
    );
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  test('the app has the mutations this test must cover', () => {
    const names = mutations.map((m) => `${m.method} ${m.url}`);
    expect(names).toEqual(expect.arrayContaining([
      'POST /api/v1/products/shop/rollback', 'POST /api/v1/tokens', 'POST /api/v1/users', 'PATCH /api/v1/strategies/' + names.find((n) => n.startsWith('PATCH /api/v1/strategies/'))!.split('/').pop(),
      'DELETE /api/v1/products/shop', 'PUT /api/v1/resources/1/files', 'DELETE /api/v1/session',
    ]));
    expect(mutations.length).toBeGreaterThanOrEqual(15);
  });

  test.each([
    ['another site by Origin', { origin: 'https://evil.example.net' }],
    ['another port of the same host', { origin: 'https://finch.example.com:8443' }],
    ['an opaque origin (sandboxed frame, file:)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site, with our own Origin', { 'sec-fetch-site': 'same-site', origin: OWN }],
  ])('%s: 403 cross-site-request on every mutation, nothing written', async (_name, headers) => {
    const before = await auditCount(s);
    for (const m of mutations) {
      const r = await s.inject({ method: m.method as 'POST', url: m.url, headers: { cookie, 'content-type': 'application/json', ...headers }, payload: '{}' });
      expect(r.statusCode, `${m.method} ${m.url}: ${r.body}`).toBe(403);
      expect(r.json().error.code).toBe('cross-site-request');
    }
    expect(await auditCount(s)).toBe(before);
    // The session still works for the console itself.
    expect((await s.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(200);
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])(
    'a form body (%s) is refused with 415 even from our own origin',
    async (type) => {
      const before = await auditCount(s);
      for (const m of mutations) {
        const r = await s.inject({
          method: m.method as 'POST', url: m.url, payload: 'a=1',
          headers: { cookie, origin: OWN, 'sec-fetch-site': 'same-origin', ...(type === '' ? {} : { 'content-type': type }) },
        });
        expect(r.statusCode, `${m.method} ${m.url}: ${r.body}`).toBe(415);
        expect(r.json().error.code).toBe('unsupported-media-type');
      }
      expect(await auditCount(s)).toBe(before);
    },
  );

  test('the console itself (same origin, JSON) goes through', async () => {
    const r = await s.inject({
      method: 'POST', url: '/api/v1/products',
      headers: { cookie, origin: OWN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'from-console' }),
    });
    expect(r.statusCode, r.body).toBe(201);
    // A program with the cookie (curl) sends neither header.
    const curl = await s.inject({ method: 'POST', url: '/api/v1/products/from-console/rollback', headers: { cookie } });
    expect(curl.statusCode, curl.body).toBeLessThan(400);
  });

  test('the same server under another name it was sent to counts as its own origin', async () => {
    const r = await s.inject({
      method: 'POST', url: '/api/v1/products',
      headers: { cookie, host: 'localhost:8080', origin: 'http://localhost:8080', 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'by-other-name' }),
    });
    expect(r.statusCode, r.body).toBe(201);
  });

  test('Bearer tokens are not ambient: a cross-origin caller with a token is not refused', async () => {
    const r = await s.inject({
      method: 'POST', url: '/api/v1/products',
      headers: { ...s.auth.admin, origin: 'https://ci.example.net', 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'from-ci' }),
    });
    expect(r.statusCode, r.body).toBe(201);
  });

  test('signing in from another site is refused (no login forgery), and sets no cookie', async () => {
    const forged: Record<string, string>[] = [{ origin: 'https://evil.example.net' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of forged) {
      const r = await s.call('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD }, headers);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('cross-site-request');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  test('the session cookie is Secure when the public origin is https', async () => {
    const r = await s.call('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD });
    expect(String(r.headers['set-cookie'])).toMatch(/; Secure/);
  });
});
