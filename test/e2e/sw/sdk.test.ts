// The seam between the real SDK (dist/finch.js) and the worker: IndexedDB layout, finch:manifest + ack,
// virtual URLs, finch:fallback. What a person sees is asserted; the worker's part is checked by
// Playwright's `fromServiceWorker()`.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chartVersion, manifestOf as siteManifest, open, reload, shownVersion, startSite } from './site.js';
import type { Site } from './site.js';

let site: Site;
let context: BrowserContext | undefined;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await context?.close().catch(() => {});
  await site?.stop();
});

/** ttlSeconds 0: the SDK asks the network on every login instead of using its stored copy first. */
const manifestOf: typeof siteManifest = (...args) => ({ ...siteManifest(...args), ttlSeconds: 0 });

async function fresh(): Promise<BrowserContext> {
  await context?.close();
  context = await site.browser.newContext();
  return context;
}

/** First visit, then the reload that runs under the worker. */
async function openWithSdk(ctx: BrowserContext): Promise<Page> {
  const page = await open(ctx, site.server.origin, '/sdk.html');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await reload(page);
  return page;
}

test('login hands the manifest to the worker; the SDK loads virtual URLs that the worker answers', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const page = await openWithSdk(await fresh());
  const fromWorker: string[] = [];
  page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));
  expect(await page.getAttribute('body', 'data-via')).toBe('worker');
  expect(await page.getAttribute('body', 'data-error')).toBeNull();
  expect(await shownVersion(page)).toBe('2.0.0');
  expect(await chartVersion(page)).toBe('2.0.0');
  expect(fromWorker).toContain('/apps/dashboard/chunk.js');
});

test('Mixed versions with the SDK: tab A keeps 1.0 chunks after the flip; a new tab gets 2.0', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v1);
  const ctx = await fresh();
  const tabA = await openWithSdk(ctx);
  expect(await shownVersion(tabA)).toBe('1.0.0');
  site.manifest = manifestOf(v2, v1, true, 2);
  const tabB = await open(ctx, site.server.origin, '/sdk.html');
  expect(await shownVersion(tabB)).toBe('2.0.0');
  expect(await chartVersion(tabB)).toBe('2.0.0');
  expect(await chartVersion(tabA)).toBe('1.0.0');
});

test('Missing build with the SDK: a gray 404 behind the worker ends on the fallback build and the SDK says so', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v3 = await site.writeBuild(3, '3.0.0');
  await site.remove('releases/dashboard/3/main.js');
  site.manifest = manifestOf(v1);
  const ctx = await fresh();
  await openWithSdk(ctx);
  site.manifest = manifestOf(v3, v1, true, 3);
  const tab = await open(ctx, site.server.origin, '/sdk.html');
  expect(await shownVersion(tab)).toBe('1.0.0');
  await tab.waitForSelector('body[data-fallback]');
  await tab.waitForSelector('body[data-fallback]');
  expect(await tab.getAttribute('body', 'data-fallback')).toMatch(/^dashboard:/);
  expect(await chartVersion(tab)).toBe('1.0.0');
});

test('Integrity with the SDK: the gray file has a hash and one flipped byte: the fallback build is on screen', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v6 = await site.writeBuild(6, '6.0.0');
  v6.integrity = { 'main.js': await site.sri('releases/dashboard/6/main.js') };
  v1.integrity = { 'main.js': await site.sri('releases/dashboard/1/main.js') };
  const { readFile, writeFile } = await import('node:fs/promises');
  const bytes = await readFile(site.file('releases/dashboard/6/main.js'));
  bytes[13] = '7'.charCodeAt(0);
  await writeFile(site.file('releases/dashboard/6/main.js'), bytes);
  site.manifest = manifestOf(v1);
  const ctx = await fresh();
  await openWithSdk(ctx);
  site.manifest = manifestOf(v6, v1, true, 6);
  const tab = await open(ctx, site.server.origin, '/sdk.html');
  expect(await shownVersion(tab)).toBe('1.0.0');
  await tab.waitForSelector('body[data-fallback]');
  expect(await tab.getAttribute('body', 'data-fallback')).toMatch(/^dashboard:/);
  expect(await chartVersion(tab)).toBe('1.0.0');
});
