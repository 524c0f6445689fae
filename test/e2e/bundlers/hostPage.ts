// The fixture host page (test/fixtures/apps/vite-host) in Chromium, read as a person sees it: the
// version the app shows, what its lazy chunk shows and how it is styled, whether its image loaded.
import { extname } from 'node:path';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

/** What the chunk's own stylesheet sets (Details.css / details.css of the fixtures). */
export const CHUNK_COLOR = 'rgb(0, 128, 0)';

/** Opens `/?user=…&product=…` and waits until the host mounted the product. */
export async function openHost(context: BrowserContext, origin: string, userId: string, product: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/?user=${encodeURIComponent(userId)}&product=${encodeURIComponent(product)}`);
  await mounted(page);
  return page;
}

export async function reloadHost(page: Page): Promise<void> {
  await page.reload();
  await mounted(page);
}

/** Until the host wrote `data-mounted` (or `data-error`, which fails with the host's own words). */
async function mounted(page: Page): Promise<void> {
  await page.waitForSelector('body[data-mounted], body[data-error]', { state: 'attached' });
  const error = await page.locator('body').getAttribute('data-error');
  if (error !== null) throw new Error(`the host page failed: ${error}`);
}

/** First visit, then a reload once the worker controls the page, as every later visit runs. */
export async function openUnderWorker(context: BrowserContext, origin: string, userId: string, product: string): Promise<Page> {
  const page = await openHost(context, origin, userId, product);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await reloadHost(page);
  return page;
}

/** The version the mounted app shows. */
export function appVersion(page: Page, product: string): Promise<string | null> {
  return page.locator(`[data-app="${product}"]`).getAttribute('data-app-version');
}

/**
 * Clicks "Show details" and answers what the lazy chunk shows and the colour its stylesheet gave it.
 * Both bundlers load a chunk's CSS before they run the chunk, so the colour is final once it renders.
 */
export async function openChunk(page: Page): Promise<{ version: string | null; color: string }> {
  await page.click('#load-chunk');
  const details = page.locator('.details');
  await details.waitFor();
  return {
    version: await details.getAttribute('data-chunk-version'),
    color: await details.evaluate((el) => getComputedStyle(el).color),
  };
}

/** Until the app's logo has loaded; answers the URL it loaded from. A broken image never gets a width. */
export async function loadedLogo(page: Page): Promise<string> {
  const logo = page.locator('img.logo');
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 30_000 }).toBeGreaterThan(0);
  return logo.evaluate((img: HTMLImageElement) => new URL(img.currentSrc).pathname);
}

/** Paths of every file of the product this page fetched itself, by virtual URL or from a build's baseUrl. */
export async function productFiles(page: Page, product: string): Promise<string[]> {
  const paths = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  return paths.filter((p) => p.startsWith(`/apps/${product}/`) || p.startsWith(`/releases/${product}/`));
}

/** Whether the worker's caches hold every URL (the shell and builds it warms). */
export function allCached(page: Page, urls: readonly string[]): Promise<boolean> {
  return page.evaluate(async (list) => (await Promise.all(list.map((u) => caches.match(new URL(u, location.href).href)))).every((r) => r !== undefined), [...urls]);
}

/**
 * The page shows `version` of `product` as a person would check it: the app, its lazy chunk styled by
 * the chunk's own CSS, and its image, loaded from under `folder` (a build's baseUrl, or `/apps/<product>/`
 * through the worker).
 */
export async function expectBuild(page: Page, product: string, version: string, folder: string): Promise<void> {
  expect(await appVersion(page, product)).toBe(version);
  expect(await openChunk(page)).toEqual({ version, color: CHUNK_COLOR });
  expect(await loadedLogo(page)).toMatch(new RegExp(`^${folder}.+\\.png$`));
}

/**
 * Every file of the product the page fetched came from under `folder`, and among them are scripts, a
 * stylesheet and an image: every kind, so an empty list cannot pass.
 */
export async function expectFilesFrom(page: Page, product: string, folder: string): Promise<void> {
  const files = await productFiles(page, product);
  expect(files.filter((f) => !f.startsWith(folder))).toEqual([]);
  expect(new Set(files.map((f) => extname(f)))).toEqual(new Set(['.js', '.css', '.png']));
}

/**
 * The page was served through the worker with the stored manifest: it was fresh enough that nothing was
 * asked of the control plane before mounting.
 */
export async function expectThroughWorker(page: Page): Promise<void> {
  const body = page.locator('body');
  expect(await body.getAttribute('data-via')).toBe('worker');
  expect(await body.getAttribute('data-manifest-source')).toBe('cache');
}
