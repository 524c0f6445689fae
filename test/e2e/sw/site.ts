// The fixture site of the worker's browser tests: a host page (fixtures/), builds of `dashboard` written to a
// temporary directory per test file, a mutable manifest at /manifest.json, and the worker at /finch-sw.js.
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { Manifest, ManifestBuild, ManifestEntry } from '../../../core/manifest.js';
import { startBrowser, startStaticServer } from '../harness/index.js';
import type { BrowserHandle, Handler, StaticServer } from '../harness/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const DIST_SDK = fileURLToPath(new URL('../../../dist/finch.js', import.meta.url));

export interface Site {
  server: StaticServer;
  browser: BrowserHandle;
  dir: string;
  /** What /manifest.json answers; `null` → 404, a number → that status. */
  manifest: Manifest | null | number;
  /** Writes build `id` of dashboard (main.js + chunk.js) showing `version`. */
  writeBuild(id: number, version: string): Promise<ManifestBuild>;
  /** SRI of a file of the site. */
  sri(path: string): Promise<string>;
  file(path: string): string;
  remove(path: string): Promise<void>;
  stop(): Promise<void>;
}

/** `cacheControl`: as the static server's; `no-store` keeps Chromium's HTTP cache out of offline tests. */
export async function startSite(options: { cacheControl?: (path: string) => string } = {}): Promise<Site> {
  const dir = await mkdtemp(join(tmpdir(), 'finch-sw-e2e-'));
  let server: StaticServer | undefined;
  let browser: BrowserHandle | undefined;
  try {
    for (const name of ['index.html', 'page.js', 'sdk.html', 'bundled.html']) await copyFile(join(FIXTURES, name), join(dir, name));
    // The hashed files of bundled.html, a host built by a bundler.
    await cp(join(FIXTURES, 'assets'), join(dir, 'assets'), { recursive: true });
    // The host's stable build deployed at the virtual path: what a page gets with no entry or no worker.
    await writeDashboard(dir, '/apps/dashboard/', 'stable');
    server = await startStaticServer({ root: dir, ...options });
    browser = await startBrowser();
  } catch (error) {
    await browser?.stop();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const site: Site = {
    server,
    browser,
    dir,
    manifest: null,
    async writeBuild(id, version) {
      const baseUrl = `/releases/dashboard/${id}/`;
      await writeDashboard(dir, baseUrl, version);
      return { resourceId: id, version, baseUrl, files: ['main.js'], integrity: {} };
    },
    async sri(path) {
      return 'sha384-' + createHash('sha384').update(await readFile(site.file(path))).digest('base64');
    },
    file: (path) => join(dir, path),
    remove: (path) => unlink(join(dir, path)),
    async stop() {
      await browser!.stop();
      await server!.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  // The real SDK, for the tests of the seam between it and the worker.
  server.routes.set('/finch.js', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
    res.end(await readFile(DIST_SDK));
  });
  server.routes.set('/api/v1/reports', (req, res) => {
    req.resume();
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"accepted":1}');
  });
  const answerManifest: Handler = (req, res) => {
    req.resume();
    const m = site.manifest;
    if (typeof m === 'number' || m === null) {
      res.writeHead(typeof m === 'number' ? m : 404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end('{"error":{"code":"unavailable","message":"fixture"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(m));
  };
  server.routes.set('/manifest.json', answerManifest);
  server.routes.set('/api/v1/console-version', answerManifest);
  return site;
}

async function writeDashboard(dir: string, base: string, version: string): Promise<void> {
  await mkdir(join(dir, base), { recursive: true });
  await writeFile(
    join(dir, base, 'main.js'),
    `// dashboard ${version}
const root = document.createElement('section');
root.dataset.finchProduct = 'dashboard';
root.dataset.finchVersion = '${version}';
root.textContent = 'Dashboard ${version}';
const button = document.createElement('button');
button.id = 'load-chart';
button.textContent = 'Load chart';
button.onclick = async () => (await import('./chunk.js')).render(root);
document.getElementById('app').append(root, button);
`,
  );
  await writeFile(
    join(dir, base, 'chunk.js'),
    `export function render(root) {
  const chart = document.createElement('div');
  chart.dataset.finchChunk = '${version}';
  chart.textContent = 'Chart ${version}';
  root.append(chart);
}
`,
  );
}

/** A manifest for `userId` with dashboard = `main` (gray over `fallback` when given). */
export function manifestOf(main: ManifestBuild, fallback?: ManifestBuild, enabled = true, revision = main.resourceId): Manifest {
  const entry: ManifestEntry = { ...main, strategyId: 1, status: fallback ? 'gray' : 'full', config: {}, dependencies: [] };
  if (fallback) entry.fallback = fallback;
  return { schema: 1, userId: 'alice', revision, ttlSeconds: 300, serviceWorker: { enabled }, products: { dashboard: entry } };
}

/** Opens the site and waits until the page's driver has finished. */
export async function open(context: BrowserContext, origin: string, path = '/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(origin + path);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return page;
}

export async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
}

/**
 * First visit (the worker installs and claims the page), then a reload so the page runs under the worker
 * from its navigation on, as every later visit does.
 */
export async function openControlled(context: BrowserContext, origin: string, path = '/'): Promise<Page> {
  const page = await open(context, origin, path);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await reload(page);
  await page.waitForSelector('body[data-via="worker"]');
  return page;
}

/** What a person sees: the version the mounted dashboard shows. */
export function shownVersion(page: Page): Promise<string | null> {
  return page.locator('[data-finch-product="dashboard"]').getAttribute('data-finch-version');
}

/** Clicks "Load chart" and answers the version the lazy chunk shows. */
export async function chartVersion(page: Page): Promise<string | null> {
  await page.click('#load-chart');
  const chart = page.locator('[data-finch-chunk]').last();
  await chart.waitFor();
  return chart.getAttribute('data-finch-chunk');
}
