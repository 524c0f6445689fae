// A host page that is itself bundled (Vite-style hashed files under /assets/), its shell named by prefix
// (`shell=/bundled.html,/assets/*`): offline after one visit under the worker, its API never cached.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { SHELL_PREFIX_FILES } from '../../../sw/pruneShell.js';
import { startSite } from './site.js';
import type { Site } from './site.js';

const HASHED = ['/assets/index-3f9a1c.js', '/assets/index-5b2e07.css'];

/** `no-store`: nothing in Chromium's HTTP cache, so offline only the worker's caches can answer. */
async function bundledSite(): Promise<Site> {
  const site = await startSite({ cacheControl: () => 'no-store' });
  // The host's own API: same origin, in no shell entry.
  site.server.routes.set('/api/greeting', (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('hello from the API');
  });
  return site;
}

async function openBundled(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(origin + '/bundled.html');
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return page;
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
}

/** Paths in the worker's shell cache, read from the page (same origin, same Cache Storage). */
function shellCache(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('finch-shell-v1');
    return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
  });
}

let site: Site;
beforeAll(async () => {
  site = await bundledSite();
});
afterAll(() => site?.stop());

test('offline after a visit under the worker: the page renders with its hashed script and stylesheet; the API is not cached', async () => {
  // Its own site, as this test stops the server.
  const own = await bundledSite();
  const context = await own.browser.newContext();
  try {
    // First visit: the page registers the worker, which pre-caches the exact entry only (hashed names are unknown).
    const page = await openBundled(context, own.server.origin);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await shellCache(page)).toEqual(['/bundled.html']);
    // A reload under the worker: the hashed files go through it and are kept.
    await reload(page);
    expect(await page.getAttribute('body', 'data-greeting')).toBe('hello from the API');
    expect(await shellCache(page)).toEqual([...HASHED, '/bundled.html'].sort());

    await context.setOffline(true);
    await own.server.close();
    const seen = own.server.requests.length;
    const fromWorker: string[] = [];
    page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));
    await reload(page);
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    expect(await page.getAttribute('main', 'data-bundle')).toBe('3f9a1c');
    expect(await page.locator('main').textContent()).toBe('Bundled host 3f9a1c');
    expect(await page.locator('main').evaluate((main) => getComputedStyle(main).color)).toBe('rgb(12, 34, 56)');
    expect(fromWorker).toEqual(expect.arrayContaining(['/bundled.html', ...HASHED]));
    // The API is no shell file: the worker kept no copy, so offline it fails as it would without one.
    expect(await page.getAttribute('body', 'data-greeting')).toBe('unavailable');
    expect(await shellCache(page)).not.toContain('/api/greeting');
    expect(own.server.requests.slice(seen)).toEqual([]);
  } finally {
    await context.close();
    await own.stop();
  }
});

test(`Chromium keeps the ${SHELL_PREFIX_FILES} files under the prefixes fetched most recently, exact entries aside`, async () => {
  const chunks = Array.from({ length: SHELL_PREFIX_FILES + 1 }, (_, i) => `/assets/chunk-${i}.js`);
  for (const path of chunks) await writeFile(site.file(path), `export const chunk = '${path}';\n`);
  const context = await site.browser.newContext();
  try {
    const page = await openBundled(context, site.server.origin);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await reload(page);
    // One at a time: the worker answers each once it is cached and the cache pruned, so the order is known.
    await page.evaluate(async (paths) => {
      for (const path of paths) if (!(await fetch(path)).ok) throw new Error('missing ' + path);
    }, chunks);
    // The page's own hashed files and the first chunk were fetched longest ago: those three are gone.
    expect(await shellCache(page)).toEqual(['/bundled.html', ...chunks.slice(1)].sort());
  } finally {
    await context.close();
  }
});
