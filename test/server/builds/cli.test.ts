/**
 * `finch token create` and `finch publish` against the real database and a real listening server:
 * the token is printed once and works; publish registers, packs and uploads a build folder, is harmless
 * to re-run, refuses other content for the same version, and registers externally hosted builds.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { run as publish } from '../../../server/cli/publish.js';
import { run as token } from '../../../server/cli/token.js';
import { configFor, createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { listTree } from './support.js';

function envOf(loc: TestLocation): NodeJS.ProcessEnv {
  const c = configFor(loc);
  return { FINCH_DATA_DIR: c.dataDir, ...(c.databaseUrl ? { DATABASE_URL: c.databaseUrl } : {}) };
}

/** Runs a command and returns its exit code with what it printed. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await fn(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`finch token create and finch publish on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let endpoint = '';
    let ciToken = '';
    let work: string;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      work = await mkdtemp(path.join(tmpdir(), 'finch-cli-'));
      // The embedded database takes one process at a time: create the token before the server starts.
      // (It also migrates an empty database, as `finch serve` would.)
      const r = await capture(() => token(['create', '--name', 'ci', '--scope', 'publish:dashboard', '--json'], envOf(loc)));
      expect(r.code, r.err).toBe(0);
      ciToken = JSON.parse(r.out).token;
      s = await startServer(loc, { env: { FINCH_ASSET_ORIGINS: 'https://cdn.example.com' } });
      endpoint = await s.app.listen({ port: 0, host: '127.0.0.1' });
      expect((await s.call('POST', '/api/v1/products', { name: 'dashboard' }, s.auth.admin)).statusCode).toBe(201);
      expect((await s.call('POST', '/api/v1/products', { name: 'header' }, s.auth.admin)).statusCode).toBe(201);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
      await rm(work, { recursive: true, force: true });
    });
    afterEach(() => vi.restoreAllMocks());

    async function buildDir(name: string, files: Record<string, string>): Promise<string> {
      const dir = path.join(work, name);
      for (const [f, body] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
        await writeFile(path.join(dir, f), body);
      }
      return dir;
    }

    test('the created token is stored hashed, audited as cli, and may publish only its product', async () => {
      expect(ciToken).toMatch(/^finch_\d+_[A-Za-z0-9_-]{43}$/);
      const rows = await s.deps.db.query<{ name: string; scopes: string[]; created_by: string }>('SELECT name, scopes, created_by FROM api_tokens WHERE name = $1', ['ci']);
      expect(rows.rows).toEqual([{ name: 'ci', scopes: ['publish:dashboard'], created_by: 'cli' }]);
      expect(JSON.stringify((await s.deps.db.query('SELECT * FROM api_tokens')).rows)).not.toContain(ciToken.slice(-43));
      expect((await s.deps.db.query("SELECT 1 FROM audit WHERE actor = 'cli' AND action = 'token.create'")).rows).toHaveLength(1);
      const h = { authorization: `Bearer ${ciToken}` };
      expect((await s.call('POST', '/api/v1/resources', { product: 'header', version: '9.9.9' }, h)).statusCode).toBe(403);
      expect((await s.call('POST', '/api/v1/strategies', { product: 'dashboard', resourceId: 1, status: 'off' }, h)).statusCode).toBe(403);
    });

    test('publish uploads a build folder; re-running is harmless; other content for the version is refused', async () => {
      const dir = await buildDir('b1', { 'main.js': 'dash2()', 'main.css': 'x{}', 'chunks/lazy.js': 'lazy()' });
      const args = ['--endpoint', endpoint, '--token', ciToken, '--product', 'dashboard', '--version', '2.0.0', '--dir', dir];
      const first = await capture(() => publish([...args, '--json']));
      expect(first.code, first.err).toBe(0);
      const res = JSON.parse(first.out);
      expect(res).toMatchObject({ product: 'dashboard', version: '2.0.0', status: 'deployed', baseUrl: `/releases/dashboard/${res.id}/`, files: ['main.css', 'main.js'] });
      const served = await fetch(new URL(`/releases/dashboard/${res.id}/chunks/lazy.js`, endpoint));
      expect(served.status).toBe(200);
      expect(await served.text()).toBe('lazy()');

      const again = await capture(() => publish(args));
      expect(again.code, again.err).toBe(0);
      expect(again.out).toMatch(new RegExp(`resource ${res.id}, deployed.*already published`));
      expect((await s.deps.db.query("SELECT 1 FROM resources r JOIN products p ON p.id = r.product_id WHERE p.name = 'dashboard'")).rows).toHaveLength(1);

      await writeFile(path.join(dir, 'chunks', 'lazy.js'), 'changed()');
      const changed = await capture(() => publish(args));
      expect(changed.code).toBe(1);
      expect(changed.err).toMatch(/HTTP 409 conflict/);
      expect(await readFile(path.join(loc.dataDir, 'releases', 'dashboard', String(res.id), 'chunks', 'lazy.js'), 'utf8')).toBe('lazy()');
    });

    test('--files names the entry files; --base-url registers a build hosted elsewhere without uploading', async () => {
      const dir = await buildDir('b2', { 'app.js': 'app()', 'vendor.js': 'v()', 'theme.css': 't{}' });
      const args = ['--endpoint', endpoint, '--token', ciToken, '--product', 'dashboard', '--version', '3.0.0', '--dir', dir,
        '--files', 'vendor.js,app.js', '--base-url', 'https://cdn.example.com/dashboard/3.0.0/', '--json'];
      const r = await capture(() => publish(args));
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res).toMatchObject({ status: 'deployed', baseUrl: 'https://cdn.example.com/dashboard/3.0.0/', files: ['vendor.js', 'app.js'] });
      // Every file is hashed (theme.css is not an entry file, but the worker may fetch it).
      expect(Object.keys(res.integrity).sort()).toEqual(['app.js', 'theme.css', 'vendor.js']);
      const again = await capture(() => publish(args));
      expect(again.code, again.err).toBe(0);
      expect(JSON.parse(again.out).id).toBe(res.id);
      expect(res.integrity['app.js']).toMatch(/^sha384-/);
      expect(await listTree(path.join(loc.dataDir, 'releases', 'dashboard', String(res.id)))).toEqual([]);
      const foreign = await capture(() => publish(['--endpoint', endpoint, '--token', ciToken, '--product', 'dashboard', '--version', '3.0.1', '--dir', dir,
        '--base-url', 'https://evil.test/x/']));
      expect(foreign.code).toBe(1);
      expect(foreign.err).toMatch(/HTTP 400 unsafe-url/);
    });

    test('usage errors exit 2, --help exits 0, a folder with links is refused', async () => {
      expect((await capture(() => publish(['--help']))).out).toMatch(/Usage: finch publish/);
      expect((await capture(() => publish(['--endpoint', endpoint]))).code).toBe(2);
      expect((await capture(() => publish(['--bogus']))).code).toBe(2);
      expect((await capture(() => token(['create', '--help']))).code).toBe(0);
      expect((await capture(() => token(['create', '--name', 'x']))).code).toBe(2);
      expect((await capture(() => token(['list']))).code).toBe(2);
      const dir = await buildDir('b3', { 'main.js': 'm()' });
      await symlink('/etc/passwd', path.join(dir, 'passwd.js'));
      const linked = await capture(() => publish(['--endpoint', endpoint, '--token', ciToken, '--product', 'dashboard', '--version', '4.0.0', '--dir', dir]));
      expect(linked.code).toBe(2);
      expect(linked.err).toMatch(/"passwd\.js" is not a plain file/);
      const wrongToken = await capture(() => publish(['--endpoint', endpoint, '--token', 'finch_1_' + 'Z'.repeat(43), '--product', 'dashboard', '--version', '4.0.0', '--dir', path.join(work, 'b1')]));
      expect(wrongToken.code).toBe(1);
      expect(wrongToken.err).toMatch(/HTTP 401 unauthorized/);
    });
  });
}
