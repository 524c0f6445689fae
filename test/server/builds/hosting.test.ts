/**
 * Release hosting and /finch-sw.js: stored builds are served with their content type, immutable
 * caching, ETag and nosniff; no request reaches anything outside its release (dot segments, encoded
 * dots and slashes, backslashes, symlinks); the worker script is no-cache, and a kill switch when off.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installErrorHandling } from '../../../server/errors/errorHandler.js';
import { KILL_SWITCH_WORKER, swRoute } from '../../../server/releases/swRoute.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { newResource, tarGz, upload, type TarEntry } from './support.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const build: TarEntry[] = [
  { name: 'main.js', content: 'console.log("main")' },
  { name: 'mod.mjs', content: 'export default 1' },
  { name: 'style.css', content: 'body{}' },
  { name: 'index.html', content: '<!doctype html><p>hi' },
  { name: 'data.json', content: '{"a":1}' },
  { name: 'icon.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
  { name: 'img/dot.png', content: PNG },
  { name: 'fonts/a.woff2', content: 'wOF2' },
  { name: 'main.js.map', content: '{"version":3}' },
  { name: 'blob.xyz', content: '<script>alert(1)</script>' },
  { name: 'chunks/[id]-lazy.js', content: 'export const lazy = true' },
];

const types: Array<[string, string]> = [
  ['main.js', 'text/javascript; charset=utf-8'],
  ['mod.mjs', 'text/javascript; charset=utf-8'],
  ['style.css', 'text/css; charset=utf-8'],
  ['index.html', 'text/html; charset=utf-8'],
  ['data.json', 'application/json; charset=utf-8'],
  ['icon.svg', 'image/svg+xml'],
  ['img/dot.png', 'image/png'],
  ['fonts/a.woff2', 'font/woff2'],
  ['main.js.map', 'application/json; charset=utf-8'],
  ['blob.xyz', 'application/octet-stream'],
  ['chunks/%5Bid%5D-lazy.js', 'text/javascript; charset=utf-8'],
];

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`release hosting on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let id = 0;
    let base = '';

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { env: { FINCH_SW: 'off' } });
      id = await newResource(s, 'host', '1.0.0', { files: ['main.js'] });
      const r = await upload(s, id, await tarGz(build), s.auth.publish);
      if (r.statusCode !== 200) throw new Error(r.body);
      base = `/releases/host/${id}`;
      // Things that must stay unreachable: next to the release, next to the releases, in the data dir.
      await writeFile(path.join(loc.dataDir, 'secret.txt'), 'TOP SECRET');
      await writeFile(path.join(loc.dataDir, 'releases', 'host', 'secret.txt'), 'TOP SECRET');
      await writeFile(path.join(loc.dataDir, 'releases', 'secret.txt'), 'TOP SECRET');
      // A tampered release: links pointing out of it (uploads never create these).
      const dir = path.join(loc.dataDir, 'releases', 'host', String(id));
      await symlink(path.join(loc.dataDir, 'secret.txt'), path.join(dir, 'link.js'));
      await symlink(loc.dataDir, path.join(dir, 'linkdir'));
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test.each(types)('serves %s as %s with immutable caching, ETag and nosniff', async (file, type) => {
      const r = await s.inject({ method: 'GET', url: `${base}/${file}` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['etag']).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      const want = build.find((e) => e.name === decodeURIComponent(file))!.content!;
      expect(r.rawPayload.equals(Buffer.from(want))).toBe(true);
      expect(Number(r.headers['content-length'])).toBe(Buffer.from(want).length);
    });

    const documents = ['index.html', 'icon.svg', 'blob.xyz'];
    test.each(documents)('%s would open as a page: sent as a download, sandboxed, loading nothing', async (file) => {
      const r = await s.inject({ method: 'GET', url: `${base}/${file}` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment');
      const csp = String(r.headers['content-security-policy']).split(';').map((d) => d.trim());
      expect(csp).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]));
    });

    test.each(types.filter(([file]) => !documents.includes(file)))('%s is a subresource: no disposition, no policy that would bind a worker', async (file) => {
      const r = await s.inject({ method: 'GET', url: `${base}/${file}` });
      expect(r.headers['content-disposition']).toBeUndefined();
      expect(r.headers['content-security-policy']).toBeUndefined();
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    });

    test('If-None-Match answers 304; HEAD has the headers without a body', async () => {
      const first = await s.inject({ method: 'GET', url: `${base}/main.js` });
      const again = await s.inject({ method: 'GET', url: `${base}/main.js`, headers: { 'if-none-match': String(first.headers['etag']) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const head = await s.inject({ method: 'HEAD', url: `${base}/main.js` });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(head.body).toBe('');
    });

    // inject() resolves plain `..` like a browser would; the raw-socket test below sends them unresolved.
    const outside: Array<[string, number]> = [
      ['/../secret.txt', 404], ['/../../secret.txt', 404], ['/../../../secret.txt', 404], ['/..%2fsecret.txt', 404],
      ['/%2e%2e/secret.txt', 404], ['/%2E%2E/%2e%2e/secret.txt', 404], ['/%2e%2e%2f%2e%2e%2fsecret.txt', 404],
      ['/.%2e/secret.txt', 404], ['/%252e%252e/secret.txt', 404], ['/..%5csecret.txt', 404],
      ['/..\\secret.txt', 404], ['/%5c..%5csecret.txt', 404], ['//main.js', 404], ['/main.js/', 404],
      ['/link.js', 404], ['/linkdir/secret.txt', 404], ['/', 404], ['', 404], ['/img', 404], ['/%00main.js', 404],
      ['/main.js%00', 404], ['/%e0%a4%a', 400],
    ];
    test.each(outside)('nothing outside the release: %s is %i', async (rest, status) => {
      const r = await s.inject({ method: 'GET', url: `${base}${rest}` });
      expect(r.statusCode).toBe(status);
      // A malformed escape is refused by Fastify's router before any route (400).
      if (status === 404) expect(r.json().error.code).toBe('not-found');
      expect(r.body).not.toContain('TOP SECRET');
    });

    test('a refused release path is not cached', async () => {
      const r = await s.inject({ method: 'GET', url: `${base}/%2e%2e/secret.txt` });
      expect(r.statusCode).toBe(404);
      expect(r.headers['cache-control']).toBe('no-store');
    });

    test('over a raw socket, unresolved dot segments never leave the release', async () => {
      const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const raw = (target: string): Promise<string> => new Promise((resolve, reject) => {
        const sock = net.connect(Number(port), '127.0.0.1', () => {
          sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        sock.on('data', (c) => { data += c.toString('latin1'); });
        sock.on('end', () => resolve(data));
        sock.on('error', reject);
      });
      // inject() parses URLs like a browser (WHATWG: `%2e` is a dot and gets resolved), so only a raw
      // request shows what the server itself does with these.
      for (const target of [`${base}/../secret.txt`, `${base}/../../secret.txt`, `${base}/../../../secret.txt`, `${base}/./../secret.txt`,
        `${base}/%2e%2e/secret.txt`, `${base}/%2E%2E/%2e%2e/secret.txt`, `${base}/.%2e/secret.txt`, `${base}/%2e%2e%2fsecret.txt`,
        `${base}/..%2F..%2Fsecret.txt`, `${base}/%2e/main.js`, `${base}/..%5csecret.txt`, `${base}/..\\..\\secret.txt`,
        '/releases/host/../secret.txt', '/releases/../secret.txt', '/releases/host/%2e%2e/secret.txt', `${base}/./main.js`]) {
        const answer = await raw(target);
        expect(answer, target).toMatch(/^HTTP\/1\.1 404 /);
        expect(answer).not.toContain('TOP SECRET');
      }
      expect(await raw(`${base}/main.js`)).toMatch(/^HTTP\/1\.1 200 /);
    });

    test.each([
      '/releases/secret.txt', '/releases/host/secret.txt', '/releases/%2e%2e/secret.txt', '/releases/host/%2e%2e/secret.txt',
      '/releases/../secret.txt', '/releases/HOST/1/main.js', '/releases/host/0/main.js', '/releases/host/abc/main.js',
      '/releases/.tmp/x/main.js', '/releases/host/99999/main.js',
    ])('nothing outside a release: %s is 404', async (url) => {
      const r = await s.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('TOP SECRET');
    });

    test('with FINCH_SW=off, /finch-sw.js is a worker that clears Finch caches and unregisters itself', async () => {
      const r = await s.inject({ method: 'GET', url: '/finch-sw.js' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toBe(KILL_SWITCH_WORKER);
      expect(r.body).toContain("startsWith('finch-')");
      expect(r.body).toContain('registration.unregister()');
      expect(r.body).not.toContain("addEventListener('fetch'");
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['service-worker-allowed']).toBe('/');
      const m = await s.call('POST', '/api/v1/console-version', { products: ['host'] });
      expect(m.json().serviceWorker).toEqual({ enabled: false });
    });
  });
}

describe('/finch-sw.js from the build', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'finch-sw-'));
    await mkdir(dir, { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function app(workerFile: string) {
    const a = Fastify();
    installErrorHandling(a);
    await a.register(swRoute, { enabled: true, workerFile });
    return a;
  }

  test('serves the built worker with no-cache, Service-Worker-Allowed and an ETag; picks up a rebuild', async () => {
    const file = path.join(dir, 'finch-sw.js');
    await writeFile(file, '/* build 1 */');
    const a = await app(file);
    const r1 = await a.inject({ method: 'GET', url: '/finch-sw.js' });
    expect(r1.statusCode).toBe(200);
    expect(r1.body).toBe('/* build 1 */');
    expect(r1.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/' });
    expect((await a.inject({ method: 'GET', url: '/finch-sw.js', headers: { 'if-none-match': String(r1.headers['etag']) } })).statusCode).toBe(304);
    await writeFile(file, '/* build 2 */');
    const r2 = await a.inject({ method: 'GET', url: '/finch-sw.js', headers: { 'if-none-match': String(r1.headers['etag']) } });
    expect(r2.statusCode).toBe(200);
    expect(r2.body).toBe('/* build 2 */');
    await a.close();
  });

  test('a missing dist/finch-sw.js is a 404 with the error body', async () => {
    const a = await app(path.join(dir, 'absent.js'));
    const r = await a.inject({ method: 'GET', url: '/finch-sw.js' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not-found');
    expect(r.json().error.message).toMatch(/npm run build/);
    await a.close();
  });
});
