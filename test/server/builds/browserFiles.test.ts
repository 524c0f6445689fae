/**
 * `finch serve` serves the SDK bundles `/finch.js` and `/finch.mjs` from the package's `dist/`, beside
 * `/finch-sw.js`: revalidated on every load (no-cache + ETag), as scripts, never sniffed, and a 404 with
 * the error body when the build is missing.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { installErrorHandling } from '../../../server/errors/errorHandler.js';
import { browserFilesRoute } from '../../../server/releases/browserFilesRoute.js';
import { createLocation, startServer, type TestLocation, type TestServer } from '../harness.js';

const FILES = ['finch.js', 'finch.mjs'] as const;

describe('the SDK bundles from a dist folder', () => {
  let dir: string;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'finch-dist-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(distDir: string): Promise<FastifyInstance> {
    app = Fastify();
    installErrorHandling(app);
    await app.register(browserFilesRoute, { distDir });
    return app;
  }

  test.each(FILES)('/%s: the file, as a script, no-cache with an ETag, nosniff; a rebuild is picked up', async (name) => {
    await writeFile(path.join(dir, name), `/* ${name} build 1 */`);
    const a = await serve(dir);
    const r1 = await a.inject({ method: 'GET', url: `/${name}` });
    expect(r1.statusCode).toBe(200);
    expect(r1.body).toBe(`/* ${name} build 1 */`);
    expect(r1.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]+"$/),
    });
    const etag = String(r1.headers['etag']);
    const same = await a.inject({ method: 'GET', url: `/${name}`, headers: { 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');

    await writeFile(path.join(dir, name), `/* ${name} build 2 */`);
    const r2 = await a.inject({ method: 'GET', url: `/${name}`, headers: { 'if-none-match': etag } });
    expect(r2.statusCode).toBe(200);
    expect(r2.body).toBe(`/* ${name} build 2 */`);
    expect(r2.headers['etag']).not.toBe(etag);
  });

  test.each(FILES)('/%s missing: 404 with the error body naming the file', async (name) => {
    const a = await serve(path.join(dir, 'no-such-dist'));
    const r = await a.inject({ method: 'GET', url: `/${name}` });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json().error).toMatchObject({ code: 'not-found', message: expect.stringContaining(`dist/${name}`) });
  });
});

describe('finch serve', () => {
  let loc: TestLocation;
  let s: TestServer;
  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { tokens: false });
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  // The built bundles of this checkout: `npm test` builds before it runs.
  test.each([...FILES, 'finch-sw.js'])('serves /%s from the package\'s dist, without credentials', async (name) => {
    const built = await readFile(fileURLToPath(new URL(`../../../dist/${name}`, import.meta.url)));
    const r = await s.inject({ method: 'GET', url: `/${name}` });
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.equals(built)).toBe(true);
    expect(r.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  });
});
