/**
 * Credentials are checked before the body is read: an anonymous caller learns nothing about a route's
 * schema (401, not 400). A URL that cannot even be decoded still gets the error body of docs/api.md.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from './harness.js';

describe.each(STORES)('$name', ({ name, skip }) => {
  let loc: TestLocation;
  let s: TestServer;
  beforeAll(async () => {
    if (skip) return;
    loc = await createLocation(name);
    s = await startServer(loc);
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  test.skipIf(skip !== null).each([
    ['POST', '/api/v1/products', '{"name": 12'],
    ['PATCH', '/api/v1/products/app', '[]'],
    ['POST', '/api/v1/strategies', '{"rule": {"not": '],
    ['PATCH', '/api/v1/strategies/1', 'null'],
    ['PATCH', '/api/v1/resources/1', '"x"'],
  ] as const)('anonymous %s %s with a broken body: 401', async (method, url, body) => {
    const r = await s.inject({ method, url, payload: body, headers: { 'content-type': 'application/json', 'if-match': '"s1-v1"' } });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  test.skipIf(skip !== null)('a malformed percent-escape in the path: 400 with the error body', async () => {
    const r = await s.inject({ method: 'GET', url: '/api/v1/products/%e0%a4%a', headers: s.auth.admin });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'invalid-input' } });
  });
});
