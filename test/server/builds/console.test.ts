/**
 * The operators' console at `/console/`, from a build folder: index.html revalidated, hashed files
 * immutable, the exact security headers on every answer, nothing outside the folder, a 404 naming the
 * fix when the build is missing, and nothing of it on the releases origin.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { installErrorHandling } from '../../../server/errors/errorHandler.js';
import { CONSOLE_CSP, consoleRoute, isHashedName } from '../../../server/releases/consoleRoute.js';
import { installReleasesOrigin } from '../../../server/releases/releasesOrigin.js';
import { createLocation, startServer } from '../harness.js';

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

const INDEX = '<!doctype html><title>Finch</title><script type="module" src="./console-Bx3kP9qZ.js"></script>';

describe('the console from a build folder', () => {
  let root: string;
  let dir: string;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'finch-console-'));
    dir = path.join(root, 'console');
    await mkdir(path.join(dir, 'chunks'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'console-Bx3kP9qZ.js'), 'import("./chunks/chart-7Hq_2mLa.js")');
    await writeFile(path.join(dir, 'console-Q1w2E3r4.css'), 'body{margin:0}');
    await writeFile(path.join(dir, 'chunks', 'chart-7Hq_2mLa.js'), 'export const chart = 1');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(root, 'secret.txt'), 'outside the console folder');
    await symlink(path.join(root, 'secret.txt'), path.join(dir, 'linked.txt'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function serve(consoleDir: string, releasesOrigin: string | null = null): Promise<FastifyInstance> {
    app = Fastify();
    installErrorHandling(app);
    installReleasesOrigin(app, releasesOrigin);
    await app.register(consoleRoute, { dir: consoleDir });
    return app;
  }

  test('the policy is exactly the documented one', () => {
    expect(CONSOLE_CSP).toBe(SECURITY_HEADERS['content-security-policy']);
  });

  test.each(['/console/', '/console/index.html', '/console/?from=bookmark'])('%s is index.html, no-cache with an ETag, with every security header', async (url) => {
    const a = await serve(dir);
    const r = await a.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(INDEX);
    expect(r.headers).toMatchObject({ ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    const again = await a.inject({ method: 'GET', url, headers: { 'if-none-match': String(r.headers['etag']) } });
    expect(again.statusCode).toBe(304);
    expect(again.headers).toMatchObject(SECURITY_HEADERS);
  });

  test('/console redirects to /console/', async () => {
    const r = await (await serve(dir)).inject({ method: 'GET', url: '/console' });
    expect(r.statusCode).toBe(301);
    expect(r.headers['location']).toBe('/console/');
    expect(r.headers).toMatchObject(SECURITY_HEADERS);
  });

  test.each([
    ['/console/console-Bx3kP9qZ.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/console/console-Q1w2E3r4.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/console/chunks/chart-7Hq_2mLa.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/console/favicon.svg', 'image/svg+xml', 'no-cache'],
  ])('%s: %s, %s', async (url, type, cache) => {
    const r = await (await serve(dir)).inject({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    expect(r.headers).toMatchObject({ ...SECURITY_HEADERS, 'content-type': type, 'cache-control': cache });
  });

  test.each([
    ['console-3f2a1b9c.js', true], ['index-DSpPH1Lo.mjs', true], ['chunks/chart-7Hq_2mLa.js', true],
    ['console-polyfills.js', false], ['favicon.svg', false], ['index.html', false], ['console-short1.js', false],
  ])('hashed name %s: %s', (name, hashed) => {
    expect(isHashedName(name)).toBe(hashed);
  });

  // inject() resolves `..` and `%2e%2e` as a browser would before sending; they never reach the route.
  test.each(['/console/../secret.txt', '/console/%2e%2e/secret.txt'])('%s leaves the console and finds nothing', async (url) => {
    const r = await (await serve(dir)).inject({ method: 'GET', url });
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain('outside the console folder');
  });

  test('over real HTTP, where nothing resolves the dot segments first, they are refused by the route', async () => {
    const a = await serve(dir);
    await a.listen({ host: '127.0.0.1', port: 0 });
    const { port } = a.server.address() as AddressInfo;
    for (const raw of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/chunks/../../secret.txt']) {
      const r = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: raw }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on('error', reject).end();
      });
      expect(r.status, raw).toBe(404);
      expect(r.body).not.toContain('outside the console folder');
      expect(r.headers).toMatchObject(SECURITY_HEADERS);
    }
  });

  test.each([
    '/console/missing.js', '/console/..%2fsecret.txt',
    '/console/chunks/..%2f..%2fsecret.txt', '/console/%5c..%5csecret.txt', '/console//index.html', '/console/linked.txt',
    '/console/chunks', '/console/chunks/', '/console/%00index.html', '/console/index.html%00',
  ])('%s is 404 with the error body and the security headers', async (url) => {
    const r = await (await serve(dir)).inject({ method: 'GET', url });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not-found');
    expect(r.body).not.toContain('outside the console folder');
    expect(r.headers).toMatchObject(SECURITY_HEADERS);
  });

  test('a missing build is a 404 that says to build', async () => {
    const a = await serve(path.join(root, 'no-such-folder'));
    for (const url of ['/console/', '/console/console-Bx3kP9qZ.js']) {
      const r = await a.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(404);
      expect(r.json().error.message).toContain('npm run build');
      expect(r.headers).toMatchObject(SECURITY_HEADERS);
    }
  });

  test('a rebuild is picked up without a restart: new files are served, removed ones are gone', async () => {
    const a = await serve(dir);
    expect((await a.inject({ method: 'GET', url: '/console/late-Zz9Yy8Xx.js' })).statusCode).toBe(404);
    await writeFile(path.join(dir, 'late-Zz9Yy8Xx.js'), 'export {}');
    expect((await a.inject({ method: 'GET', url: '/console/late-Zz9Yy8Xx.js' })).statusCode).toBe(200);
    await rm(path.join(dir, 'late-Zz9Yy8Xx.js'));
    expect((await a.inject({ method: 'GET', url: '/console/late-Zz9Yy8Xx.js' })).statusCode).toBe(404);
  });

  test('with a releases origin the console is served on the public name only', async () => {
    const a = await serve(dir, 'http://localhost:8080');
    const there = await a.inject({ method: 'GET', url: '/console/', headers: { host: 'localhost:8080' } });
    expect(there.statusCode).toBe(404);
    expect(there.body).not.toContain('Finch</title>');
    const here = await a.inject({ method: 'GET', url: '/console/', headers: { host: '127.0.0.1:8080' } });
    expect(here.statusCode).toBe(200);
    expect(here.body).toBe(INDEX);
  });
});

describe('the console in the app', () => {
  test('is routed, needs no sign-in, and stays out of the OpenAPI document', async () => {
    const loc = await createLocation('pglite');
    const s = await startServer(loc, { tokens: false });
    try {
      // With or without a build in this checkout, /console/ is the console's answer, never the API's 401.
      const r = await s.inject({ method: 'GET', url: '/console/' });
      expect([200, 404]).toContain(r.statusCode);
      expect(r.headers).toMatchObject(SECURITY_HEADERS);
      expect((await s.inject({ method: 'GET', url: '/console' })).headers['location']).toBe('/console/');
      const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/console'))).toEqual([]);
    } finally {
      await s.close();
      await loc.dispose();
    }
  });
});
