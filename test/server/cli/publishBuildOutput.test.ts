/**
 * `finch publish --dir` on folders laid out exactly as Vite 8, webpack 5 and a hand-written page build
 * them, against a real listening server: the entry files it finds, the files it uploads and hashes,
 * what it leaves out, the strategy it creates with --gray/--full, and options from finch.config.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { run as publish } from '../../../server/cli/publish.js';
import { listTree } from '../builds/support.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

/** A PNG's signature and header: an image is bytes, not text. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

interface Published {
  code: number;
  out: string;
  err: string;
  /** What publish wrote to its progress stream (stderr in real use). */
  notes: string;
}

async function runPublish(argv: string[], env: NodeJS.ProcessEnv = {}, isTTY = false): Promise<Published> {
  const out: string[] = [];
  const err: string[] = [];
  const notes: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await publish(argv, env, { out: { isTTY, write: (t: string) => notes.push(t) } });
    return { code, out: out.join('\n'), err: err.join('\n'), notes: notes.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const viteManifest = {
  '_vendor-DfKd2mQx.js': { file: 'assets/vendor-DfKd2mQx.js', name: 'vendor', css: ['assets/vendor-C0bT7s4e.css'] },
  'index.html': {
    file: 'assets/index-BXlT8zq1.js', name: 'index', src: 'index.html', isEntry: true,
    imports: ['_vendor-DfKd2mQx.js'], dynamicImports: ['src/Chart.jsx'],
    css: ['assets/index-D8b4DHJx.css'], assets: ['assets/logo-Cx8aZ4Ve.png'],
  },
  'src/Chart.jsx': {
    file: 'assets/Chart-CmzvRk3P.js', name: 'Chart', src: 'src/Chart.jsx', isDynamicEntry: true,
    imports: ['index.html', '_vendor-DfKd2mQx.js'], css: ['assets/Chart-B1sZ5Yx0.css'],
  },
};

/** `vite build` with `build.manifest`, `build.sourcemap` and `base: '/apps/dashboard/'`, after a Mac touched it. */
const VITE_BUILD: Record<string, string | Buffer> = {
  'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" type="image/svg+xml" href="/apps/dashboard/favicon.svg" />
    <title>Dashboard</title>
    <script type="module" crossorigin src="/apps/dashboard/assets/index-BXlT8zq1.js"></script>
    <link rel="modulepreload" crossorigin href="/apps/dashboard/assets/vendor-DfKd2mQx.js">
    <link rel="stylesheet" crossorigin href="/apps/dashboard/assets/vendor-C0bT7s4e.css">
    <link rel="stylesheet" crossorigin href="/apps/dashboard/assets/index-D8b4DHJx.css">
  </head>
  <body><div id="root"></div></body>
</html>
`,
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8"/></svg>',
  '.vite/manifest.json': JSON.stringify(viteManifest, null, 2),
  'assets/index-BXlT8zq1.js': 'import{v as e}from"./vendor-DfKd2mQx.js";e(()=>import("./Chart-CmzvRk3P.js"));\n//# sourceMappingURL=index-BXlT8zq1.js.map',
  'assets/index-BXlT8zq1.js.map': '{"version":3,"sources":["../../src/main.jsx"],"mappings":"AAAA"}',
  'assets/index-D8b4DHJx.css': '#root{display:grid}',
  'assets/vendor-DfKd2mQx.js': 'export const v=f=>f();',
  'assets/vendor-C0bT7s4e.css': '.btn{color:red}',
  'assets/Chart-CmzvRk3P.js': 'export default function Chart(){}',
  'assets/Chart-B1sZ5Yx0.css': '.chart{height:10rem}',
  'assets/logo-Cx8aZ4Ve.png': PNG,
  '.DS_Store': Buffer.from('0000000142756431', 'hex'),
};

/** webpack 5 with `[contenthash]` names, a runtime chunk, a lazy chunk and webpack-assets-manifest (`entrypoints: true`). */
const WEBPACK_BUILD: Record<string, string | Buffer> = {
  'runtime.8d1e04c7.js': '(()=>{"use strict";var e={};})();',
  'main.3f9a2c1b.js': '(self.webpackChunkdashboard=self.webpackChunkdashboard||[]).push([[792],{}]);',
  'main.5b2c7d0e.css': 'body{margin:0}',
  '354.a1b2c3d4.js': '"use strict";(self.webpackChunkdashboard=self.webpackChunkdashboard||[]).push([[354],{}]);',
  'images/hero.8c1f.png': PNG,
  'assets-manifest.json': JSON.stringify({
    'main.css': 'main.5b2c7d0e.css',
    'main.js': 'main.3f9a2c1b.js',
    'runtime.js': 'runtime.8d1e04c7.js',
    'entrypoints': { main: { assets: { css: ['main.5b2c7d0e.css'], js: ['runtime.8d1e04c7.js', 'main.3f9a2c1b.js'] } } },
  }, null, 2),
  'Thumbs.db': Buffer.from('d0cf11e0a1b11ae1', 'hex'),
};

/** webpack 5 writing only `stats.json` (webpack-bundle-analyzer style), with public path `/static/` and source maps. */
const WEBPACK_STATS_BUILD: Record<string, string | Buffer> = {
  'static/js/main.77aa01.js': 'console.log("main")',
  'static/js/main.77aa01.js.map': '{"version":3}',
  'static/css/main.12bb34.css': 'h1{font-weight:700}',
  'static/media/font.9d8e.woff2': Buffer.from('774f4632', 'hex'),
  'stats.json': JSON.stringify({
    hash: '5e3c9f', version: '5.99.0', publicPath: '/static/', outputPath: '/ci/build',
    entrypoints: {
      main: {
        name: 'main', chunks: [792],
        assets: [{ name: 'static/css/main.12bb34.css', size: 19 }, { name: 'static/js/main.77aa01.js', size: 19 }],
        auxiliaryAssets: [{ name: 'static/js/main.77aa01.js.map', size: 13 }],
      },
    },
  }),
};

/** A page written by hand: classic scripts, relative URLs, a legacy nomodule fallback. */
const PAGE_BUILD: Record<string, string | Buffer> = {
  'index.html': `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="./css/site.css">
<link rel="alternate stylesheet" href="css/contrast.css" title="contrast">
<script>window.dataLayer = [];</script>
</head><body>
<script src="js/vendor.js"></script>
<script src="./js/app.js" defer></script>
<script nomodule src="js/legacy.js"></script>
</body></html>`,
  'css/site.css': 'body{font:16px serif}',
  'css/contrast.css': 'body{color:#000}',
  'js/vendor.js': 'var lib = {};',
  'js/app.js': 'lib.start();',
  'js/legacy.js': 'var old = 1;',
};

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`finch publish on real build output on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let endpoint = '';
    let work: string;
    let releaseToken = '';

    beforeAll(async () => {
      loc = await createLocation(store.name);
      work = await mkdtemp(path.join(tmpdir(), 'finch-publish-'));
      s = await startServer(loc);
      endpoint = await s.app.listen({ port: 0, host: '127.0.0.1' });
      expect((await s.call('POST', '/api/v1/products', { name: 'dashboard' }, s.auth.admin)).statusCode).toBe(201);
      const t = await s.call('POST', '/api/v1/tokens', { name: 'ci-release', scopes: ['publish:dashboard', 'operate'] }, s.auth.admin);
      expect(t.statusCode, t.body).toBe(201);
      releaseToken = (t.json() as { token: string }).token;
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    async function buildDir(name: string, files: Record<string, string | Buffer>): Promise<string> {
      const dir = path.join(work, name, 'dist');
      for (const [f, body] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
        await writeFile(path.join(dir, f), body);
      }
      return dir;
    }

    const mkdirp = async (dir: string): Promise<string> => {
      await mkdir(dir, { recursive: true });
      return dir;
    };
    const env = (token = s.auth.publish['authorization']!.slice('Bearer '.length)): NodeJS.ProcessEnv => ({ FINCH_ENDPOINT: endpoint, FINCH_TOKEN: token });
    /** The files (not folders) stored for a build. */
    const stored = async (id: number): Promise<string[]> => {
      const all = await listTree(path.join(loc.dataDir, 'releases', 'dashboard', String(id)));
      return all.filter((p) => !all.some((q) => q.startsWith(`${p}/`)));
    };

    test('a Vite build: entries from .vite/manifest.json, without the page, the records, maps and OS files', async () => {
      const dir = await buildDir('vite', VITE_BUILD);
      // This build was made with base: '/apps/dashboard/': publish says what that will do.
      const warned = await runPublish(['--product', 'dashboard', '--version', '0.9.0', '--dir', dir, '--files', 'assets/index-BXlT8zq1.js'], env());
      expect(warned.code, warned.err).toBe(0);
      expect(warned.notes).toMatch(/warning: index\.html loads \/apps\/dashboard\/assets\/index-BXlT8zq1\.js by an absolute path.*finch-gray\/vite/);
      const r = await runPublish(['--product', 'dashboard', '--version', '1.0.0', '--dir', dir, '--json'], env());
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res.files).toEqual(['assets/index-D8b4DHJx.css', 'assets/vendor-C0bT7s4e.css', 'assets/index-BXlT8zq1.js']);
      expect(res.config).toEqual({ finch: { scripts: { 'assets/index-BXlT8zq1.js': 'module' } } });
      const uploaded = ['assets/Chart-B1sZ5Yx0.css', 'assets/Chart-CmzvRk3P.js', 'assets/index-BXlT8zq1.js', 'assets/index-D8b4DHJx.css',
        'assets/logo-Cx8aZ4Ve.png', 'assets/vendor-C0bT7s4e.css', 'assets/vendor-DfKd2mQx.js', 'favicon.svg'];
      expect(Object.keys(res.integrity).sort()).toEqual(uploaded);
      expect(await stored(res.id)).toEqual(uploaded);
      expect(r.notes).toContain('vite manifest: entry index.html → assets/index-BXlT8zq1.js (module), assets/index-D8b4DHJx.css, assets/vendor-C0bT7s4e.css; 8 files,');
      expect(r.notes).toContain('left out: .DS_Store (operating system file); .vite/manifest.json (Vite\'s records); assets/index-BXlT8zq1.js.map (source map); index.html (the page)');
      expect(r.notes).toContain('uploading: 100%');
      const png = await fetch(new URL(`/releases/dashboard/${res.id}/assets/logo-Cx8aZ4Ve.png`, endpoint));
      expect(Buffer.from(await png.arrayBuffer())).toEqual(PNG);
    });

    test('--with-maps uploads the source maps too; a terminal gets a progress bar', async () => {
      const dir = await buildDir('vite-maps', VITE_BUILD);
      const r = await runPublish(['--product', 'dashboard', '--version', '1.0.1', '--dir', dir, '--with-maps', '--json'], env(), true);
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(await stored(res.id)).toContain('assets/index-BXlT8zq1.js.map');
      // The worker never fetches maps: they are stored, not hashed.
      expect(Object.keys(res.integrity)).not.toContain('assets/index-BXlT8zq1.js.map');
      expect(r.notes).toMatch(/uploading \[[█░]+\] 100%/);
    });

    test('a webpack build: entries from assets-manifest.json, runtime first; the manifest is left out', async () => {
      const dir = await buildDir('webpack', WEBPACK_BUILD);
      const r = await runPublish(['--product', 'dashboard', '--version', '2.0.0', '--dir', dir, '--json'], env());
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res.files).toEqual(['main.5b2c7d0e.css', 'runtime.8d1e04c7.js', 'main.3f9a2c1b.js']);
      // webpack's records do not say whether a script is a module: nothing is claimed.
      expect(res.config).toEqual({});
      const uploaded = ['354.a1b2c3d4.js', 'images/hero.8c1f.png', 'main.3f9a2c1b.js', 'main.5b2c7d0e.css', 'runtime.8d1e04c7.js'];
      expect(Object.keys(res.integrity).sort()).toEqual(uploaded);
      expect(await stored(res.id)).toEqual(uploaded);
      expect(r.notes).toContain('webpack assets manifest: entry main → runtime.8d1e04c7.js, main.3f9a2c1b.js, main.5b2c7d0e.css; 5 files,');
    });

    test('a webpack build with stats.json and a public path', async () => {
      const dir = await buildDir('webpack-stats', WEBPACK_STATS_BUILD);
      const r = await runPublish(['--product', 'dashboard', '--version', '2.1.0', '--dir', dir, '--json'], env());
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res.files).toEqual(['static/css/main.12bb34.css', 'static/js/main.77aa01.js']);
      expect(await stored(res.id)).toEqual(['static/css/main.12bb34.css', 'static/js/main.77aa01.js', 'static/media/font.9d8e.woff2']);
    });

    test('a page build: stylesheets and classic scripts of index.html, in document order', async () => {
      const dir = await buildDir('page', PAGE_BUILD);
      const r = await runPublish(['--product', 'dashboard', '--version', '3.0.0', '--dir', dir, '--json'], env());
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res.files).toEqual(['css/site.css', 'js/vendor.js', 'js/app.js']);
      expect(res.config).toEqual({ finch: { scripts: { 'js/vendor.js': 'classic', 'js/app.js': 'classic' } } });
      expect(await stored(res.id)).toEqual(['css/contrast.css', 'css/site.css', 'js/app.js', 'js/legacy.js', 'js/vendor.js']);
    });

    test('a page that loads a script from another origin is refused before anything is registered', async () => {
      const dir = await buildDir('cdn-page', {
        'index.html': '<script src="https://cdn.example.net/react.js"></script><script src="app.js"></script>',
        'app.js': 'start()',
      });
      const r = await runPublish(['--product', 'dashboard', '--version', '3.1.0', '--dir', dir], env());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/index\.html loads https:\/\/cdn\.example\.net\/react\.js from another origin/);
      expect((await s.call('GET', '/api/v1/products/dashboard/resources', undefined, s.auth.admin)).json().resources.map((x: { version: string }) => x.version)).not.toContain('3.1.0');
    });

    test('--gray and --full create the strategy in the same step', async () => {
      const dir = await buildDir('gray', { ...VITE_BUILD, 'assets/index-BXlT8zq1.js': 'gray()' });
      const gray = await runPublish(['--product', 'dashboard', '--version', '4.0.0', '--dir', dir, '--gray', '{"percent":5}'], env(releaseToken));
      expect(gray.code, gray.err).toBe(0);
      expect(gray.out).toMatch(/now gray \(strategy \d+\)/);
      const full = await runPublish(['--product', 'dashboard', '--version', '4.0.1', '--dir', await buildDir('full', VITE_BUILD), '--full', '--json'], env(releaseToken));
      expect(full.code, full.err).toBe(0);
      const fullId = JSON.parse(full.out).id;
      const list = (await s.call('GET', '/api/v1/products/dashboard/strategies', undefined, s.auth.admin)).json() as { strategies: { resourceId: number; status: string; rule?: unknown }[] };
      const byVersion = async (v: string): Promise<number> => (await s.call('GET', '/api/v1/products/dashboard/resources', undefined, s.auth.admin)).json().resources.find((x: { version: string }) => x.version === v).id;
      expect(list.strategies).toEqual(expect.arrayContaining([
        expect.objectContaining({ resourceId: await byVersion('4.0.0'), status: 'gray', rule: { percent: 5 } }),
        expect.objectContaining({ resourceId: fullId, status: 'full' }),
      ]));

      // The CI job run again: the same build is already full, so nothing replaces it (a rollback still
      // reaches the build before it) and the gray strategy is not made twice.
      const againFull = await runPublish(['--product', 'dashboard', '--version', '4.0.1', '--dir', await buildDir('full', VITE_BUILD), '--full'], env(releaseToken));
      expect(againFull.code, againFull.err).toBe(0);
      expect(againFull.out).toMatch(/already full \(strategy \d+\)/);
      const againGray = await runPublish(['--product', 'dashboard', '--version', '4.0.0', '--dir', dir, '--gray', '{"percent":5}'], env(releaseToken));
      expect(againGray.code, againGray.err).toBe(0);
      const after = (await s.call('GET', '/api/v1/products/dashboard/strategies', undefined, s.auth.admin)).json() as { strategies: { resourceId: number; status: string }[] };
      expect(after.strategies.filter((x) => x.resourceId === fullId && x.status === 'full')).toHaveLength(1);
      expect(after.strategies.filter((x) => x.status === 'gray')).toHaveLength(list.strategies.filter((x) => x.status === 'gray').length);
    });

    test('--gray with a publish-only token is refused before publishing, naming what the token lacks', async () => {
      const dir = await buildDir('gray-refused', VITE_BUILD);
      const r = await runPublish(['--product', 'dashboard', '--version', '5.0.0', '--dir', dir, '--gray', '{"percent":5}'], env());
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/--gray needs a token that may publish and create strategies; this one \(scopes: publish\) may not create strategies/);
      const bad = await runPublish(['--product', 'dashboard', '--version', '5.0.0', '--dir', dir, '--gray', '{"percent":500}'], env(releaseToken));
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/--gray is not a valid rule/);
      const versions = (await s.call('GET', '/api/v1/products/dashboard/resources', undefined, s.auth.admin)).json().resources.map((x: { version: string }) => x.version);
      expect(versions).not.toContain('5.0.0');
    });

    test('only --dir: product and version from the app\'s package.json; a rebuild without a bump is tagged with its content', async () => {
      const app = path.join(work, 'plain-app');
      await writeFile(path.join(await mkdirp(app), 'package.json'), JSON.stringify({ name: '@shop/dashboard', version: '7.0.0' }));
      const first = await buildDir('plain-app', PAGE_BUILD);
      const r1 = await runPublish(['--dir', first, '--json'], env());
      expect(r1.code, r1.err).toBe(0);
      expect(JSON.parse(r1.out)).toMatchObject({ product: 'dashboard', version: '7.0.0' });
      // The resource says how many bytes it stores here: every uploaded file, not only the entries.
      const kept = await stored(JSON.parse(r1.out).id);
      expect(JSON.parse(r1.out).storedBytes).toBe(kept.reduce((n, f) => n + Buffer.byteLength(PAGE_BUILD[f]!), 0));
      expect(r1.notes).toMatch(/product dashboard, the name in .*package\.json/);
      // Its page names its files relatively: nothing to warn about.
      expect(r1.notes).not.toMatch(/warning/);
      // The same build again is the same build.
      const again = await runPublish(['--dir', first, '--json'], env());
      expect(JSON.parse(again.out)).toMatchObject({ id: JSON.parse(r1.out).id, version: '7.0.0' });

      await writeFile(path.join(first, 'js/app.js'), 'lib.start(2);');
      const r2 = await runPublish(['--dir', first, '--json'], env());
      expect(r2.code, r2.err).toBe(0);
      const tagged = JSON.parse(r2.out).version as string;
      expect(tagged).toMatch(/^7\.0\.0\+[0-9a-f]{8}$/);
      expect(r2.notes).toMatch(/7\.0\.0 .* already published with other content; publishing as 7\.0\.0\+/);
      // Publishing the changed build once more lands on the tagged version again, not a third one.
      const r3 = await runPublish(['--dir', first, '--json'], env());
      expect(JSON.parse(r3.out).version).toBe(tagged);
      // An explicit version stays strict: the same version with other content is refused.
      const strict = await runPublish(['--dir', first, '--version', '7.0.0'], env());
      expect(strict.code).toBe(1);
      expect(strict.err).toMatch(/409/);
    });

    test('only --dir and no package.json: the product is asked for', async () => {
      const dir = await buildDir('orphan', PAGE_BUILD);
      const r = await runPublish(['--dir', dir], env());
      // work/ lies under the system temp folder: no package.json above it names a product.
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/missing --product/);
    });

    test('finch.config.json in the build folder gives options, flags win, unknown keys are named', async () => {
      const dir = await buildDir('configured', { ...PAGE_BUILD, 'finch.config.json': JSON.stringify({ product: 'dashboard', version: '6.0.0', appConfig: { theme: 'dark' } }) });
      const r = await runPublish(['--dir', dir, '--version', '6.0.1', '--json'], env());
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      expect(res).toMatchObject({ version: '6.0.1', config: { theme: 'dark', finch: { scripts: { 'js/app.js': 'classic' } } } });
      expect(await stored(res.id)).not.toContain('finch.config.json');

      const elsewhere = path.join(work, 'release.json');
      await writeFile(elsewhere, JSON.stringify({ dir: 'configured/dist', product: 'dashboard', token: 'x', gary: 5 }));
      const wrong = await runPublish(['--config', elsewhere, '--version', '6.0.2'], env());
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(/unknown keys "token", "gary".*FINCH_TOKEN/);
      // A file in the build output never chooses where the token goes.
      const redirect = path.join(work, 'redirect.json');
      await writeFile(redirect, JSON.stringify({ dir: 'configured/dist', product: 'dashboard', endpoint: 'http://127.0.0.1:9/' }));
      const redirected = await runPublish(['--config', redirect, '--version', '6.0.3'], env());
      expect(redirected.code).toBe(2);
      expect(redirected.err).toMatch(/unknown key "endpoint".*FINCH_ENDPOINT/);
      const old = await runPublish(['--dir', dir, '--config', '{"theme":"dark"}'], env());
      expect(old.code).toBe(2);
      expect(old.err).toMatch(/--app-config/);
    });
  });
}
